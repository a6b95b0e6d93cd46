"""Saved applications (scoring.store.drafts) and workspaces (scoring.store.workspace).

Applications are built by hand; the expected version numbers, summaries and names are worked out in the comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scoring.application.models import dump_application, parse_application
from scoring.store.drafts import (DB_FILE, ConflictError, NotFoundError, Store, StoreError, diff_data, display_value,
                           summarize_changes)
from scoring.store.workspace import (BAD_CREDENTIALS, LOCAL, LOCK_SECONDS, MAX_FAILURES, WorkspaceError,
                               create_passphrase_workspace, hash_passphrase, load_settings, local_workspace,
                               oidc_workspace, open_passphrase_workspace, verify_passphrase)

ROOT = Path(__file__).resolve().parents[2]

PARK = {
    "type": "park",
    "domain": "robot",
    "applicant_name": "测试园区管理委员会",
    "basic": {"park_name": "测试高新区", "planned_area": 1200.0},
    "main": {"total_revenue": {"y2023": 30.0, "y2024": 40.0, "y2025": 50.0}},
    "lead": {"top10": [{"name": "甲公司", "revenue": 12.5, "main_business": "工业机器人"}]},
    "work_plan": {"basis": "园区已形成较完整的机器人产业链。"},
}


def park(**changes) -> object:
    """PARK with ``changes`` given as dotted paths, e.g. park(**{"basic.park_name": "乙园区"})."""
    data = copy.deepcopy(PARK)
    for path, value in changes.items():
        *head, last = path.split(".")
        node = data
        for k in head:
            node = node.setdefault(k, {})
        node[last] = value
    return parse_application(data)


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / DB_FILE)
    local_workspace(s)
    return s


# ---------------------------------------------------------------------------------------------------------------
# save, versions, restart


def test_save_creates_a_version_only_when_content_changes(store):
    rec = store.create(LOCAL.id, park())
    assert rec.current_version == 1 and rec.n_versions == 1
    assert rec.name == "测试高新区"  # the park's own name
    assert rec.type == "park" and rec.domain == "robot" and rec.type_label == "示范园区"

    same = store.save(LOCAL.id, rec.id, park(), base_version=1)
    assert (same.version, same.created) == (1, False)

    res = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙高新区", "main.total_revenue.y2024": 45.0}),
                     base_version=1)
    assert (res.version, res.created) == (2, True)
    # changed: basic.park_name (园区基本信息 › 园区名称), main.total_revenue.y2024 (three levels, last two shown)
    assert res.summary == "修改 2 处：园区基本信息 › 园区名称；总营业收入 › 2024年"
    listed = store.list(LOCAL.id)
    assert [(r.id, r.current_version, r.n_versions) for r in listed] == [(rec.id, 2, 2)]
    assert listed[0].name == "乙高新区"  # not renamed by the user: follows the park name


def test_reopened_in_a_new_process_equal_to_what_was_saved(store, tmp_path):
    rec = store.create(LOCAL.id, park())
    edited = park(**{"basic.park_name": "重启测试园区", "patents.invention": 7, "fill_date": "2026-03-02"})
    store.save(LOCAL.id, rec.id, edited, base_version=1)

    code = (
        "import json, sys\n"
        "from scoring.store.drafts import Store\n"
        "from scoring.application.models import dump_application\n"
        "s = Store(sys.argv[1])\n"
        "o = s.open('local', sys.argv[2])\n"
        "print(json.dumps({'version': o.version, 'name': o.record.name, 'app': dump_application(o.app),\n"
        "                  'versions': [v.version for v in s.list_versions('local', sys.argv[2])],\n"
        "                  'last': s.last_application('local').id}, ensure_ascii=False))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(store.path), rec.id], cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["app"] == dump_application(edited)
    assert got["app"]["patents"]["invention"] == 7 and got["app"]["fill_date"] == "2026-03-02"
    assert got["version"] == 2 and got["versions"] == [2, 1]
    assert got["name"] == "重启测试园区"
    assert got["last"] == rec.id  # a new session reopens it


def test_database_location_follows_the_environment(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere"
    monkeypatch.setenv("SFJD_DATA_DIR", str(target))
    s = Store()
    assert s.path == target / "sfjd.sqlite3" and s.path.exists()
    with s._connect() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_versions_are_kept_and_restore_makes_a_new_version(store):
    rec = store.create(LOCAL.id, park(**{"basic.park_name": "甲"}))
    store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙"}), 1)
    store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "丙"}), 2)

    res = store.restore_version(LOCAL.id, rec.id, 1)
    assert (res.version, res.created) == (4, True)
    versions = store.list_versions(LOCAL.id, rec.id)
    assert [v.version for v in versions] == [4, 3, 2, 1]
    assert versions[0].summary == "恢复为第 1 版"
    assert versions[-1].summary == "新建"
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "甲"
    # the history is not rewritten
    assert store.get_version(LOCAL.id, rec.id, 2).application().basic.park_name == "乙"
    assert store.get_version(LOCAL.id, rec.id, 3).data["basic"]["park_name"] == "丙"
    # restoring what is already current creates nothing
    again = store.restore_version(LOCAL.id, rec.id, 1)
    assert (again.version, again.created) == (4, False)
    with pytest.raises(NotFoundError, match="第 9 版"):
        store.get_version(LOCAL.id, rec.id, 9)


def test_rename_duplicate_delete(store):
    a = store.create(LOCAL.id, park())
    renamed = store.rename(LOCAL.id, a.id, "  我的园区草稿 ")
    assert renamed.name == "我的园区草稿"
    store.save(LOCAL.id, a.id, park(**{"basic.park_name": "改名后的园区"}), 1)
    assert store.get(LOCAL.id, a.id).name == "我的园区草稿"  # a chosen name is kept
    assert store.rename(LOCAL.id, a.id, "").name == "改名后的园区"  # empty: back to the park's name

    b = store.duplicate(LOCAL.id, a.id)
    assert b.id != a.id and b.name == "改名后的园区（副本）"
    assert b.current_version == 1
    assert store.list_versions(LOCAL.id, b.id)[0].summary == "复制自“改名后的园区”第 2 版"
    assert store.open(LOCAL.id, b.id).app == store.open(LOCAL.id, a.id).app
    assert store.last_application(LOCAL.id).id == a.id  # opened last

    store.delete(LOCAL.id, a.id)
    assert [r.id for r in store.list(LOCAL.id)] == [b.id]
    assert store.last_application(LOCAL.id) is None  # the last one was deleted
    with pytest.raises(NotFoundError):
        store.open(LOCAL.id, a.id)
    with pytest.raises(NotFoundError):
        store.list_versions(LOCAL.id, a.id)
    with store._connect() as con:  # its versions are gone too
        assert con.execute("SELECT COUNT(*) FROM versions WHERE app_id = ?", (a.id,)).fetchone()[0] == 0


def test_the_type_of_a_saved_application_cannot_change(store):
    rec = store.create(LOCAL.id, park())
    ent = parse_application({"type": "enterprise", "domain": "software"})
    with pytest.raises(StoreError, match="申报类别不能更改"):
        store.save(LOCAL.id, rec.id, ent, 1)
    assert store.current_version(LOCAL.id, rec.id) == 1


# ---------------------------------------------------------------------------------------------------------------
# two editors


def test_second_editor_gets_a_conflict_instead_of_overwriting(store):
    rec = store.create(LOCAL.id, park())
    base_a = base_b = store.open(LOCAL.id, rec.id).version  # both start from version 1
    res_a = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "甲改"}), base_a)
    assert res_a.version == 2

    with pytest.raises(ConflictError) as info:
        store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙改"}), base_b)
    assert info.value.current_version == 2 and info.value.base_version == 1
    assert "第 2 版" in str(info.value) and "第 1 版" in str(info.value)
    # nothing written: A's change is the current content
    assert store.current_version(LOCAL.id, rec.id) == 2
    assert store.open(LOCAL.id, rec.id).app.basic.park_name == "甲改"

    # B chooses to overwrite: a new version; A's version stays in the history
    res_b = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙改"}), base_b, force=True)
    assert res_b.version == 3
    assert res_b.summary.startswith("覆盖第 2 版；修改 1 处")
    assert store.get_version(LOCAL.id, rec.id, 2).application().basic.park_name == "甲改"
    # now A is behind
    with pytest.raises(ConflictError):
        store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "甲再改"}), res_a.version)


def test_concurrent_saves_from_the_same_base_only_one_wins(store):
    rec = store.create(LOCAL.id, park())
    outcomes: list[str] = []
    lock = threading.Lock()

    def editor(i: int) -> None:
        try:
            store.save(LOCAL.id, rec.id, park(**{"basic.park_name": f"编辑者{i}"}), 1)
            r = "ok"
        except ConflictError:
            r = "conflict"
        with lock:
            outcomes.append(r)

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    assert store.current_version(LOCAL.id, rec.id) == 2
    assert [v.version for v in store.list_versions(LOCAL.id, rec.id)] == [2, 1]


def test_editors_of_different_applications_do_not_interfere(store):
    a = store.create(LOCAL.id, park(**{"basic.park_name": "甲"}))
    b = store.create(LOCAL.id, park(**{"basic.park_name": "乙"}))
    assert store.save(LOCAL.id, a.id, park(**{"basic.park_name": "甲2"}), 1).version == 2
    assert store.save(LOCAL.id, b.id, park(**{"basic.park_name": "乙2"}), 1).version == 2
    assert store.open(LOCAL.id, a.id).app.basic.park_name == "甲2"
    assert store.open(LOCAL.id, b.id).app.basic.park_name == "乙2"


# ---------------------------------------------------------------------------------------------------------------
# workspaces


def test_one_workspace_cannot_list_or_open_another_ones_application(store):
    other = create_passphrase_workspace(store, "乙单位", "yi-danwei-2026")
    rec = store.create(LOCAL.id, park())
    assert store.list(other.id) == []
    missing = str(NotFoundError())
    calls = [
        lambda: store.open(other.id, rec.id),
        lambda: store.get(other.id, rec.id),
        lambda: store.list_versions(other.id, rec.id),
        lambda: store.get_version(other.id, rec.id, 1),
        lambda: store.save(other.id, rec.id, park(**{"basic.park_name": "篡改"}), 1),
        lambda: store.save(other.id, rec.id, park(**{"basic.park_name": "篡改"}), 1, force=True),
        lambda: store.restore_version(other.id, rec.id, 1),
        lambda: store.rename(other.id, rec.id, "篡改"),
        lambda: store.duplicate(other.id, rec.id),
        lambda: store.delete(other.id, rec.id),
    ]
    for call in calls:
        with pytest.raises(NotFoundError) as info:
            call()
        assert str(info.value) == missing  # the same answer as for an id that does not exist at all
    assert store.list(other.id) == []
    r = store.get(LOCAL.id, rec.id)
    assert (r.name, r.current_version, r.n_versions) == ("测试高新区", 1, 1)
    assert store.last_application(other.id) is None
    with pytest.raises(NotFoundError, match="工作区"):
        store.create("no-such-workspace", park())


def test_passphrase_is_stored_only_as_a_salted_hash(store, tmp_path):
    secret = "春眠不觉晓-correct-horse"
    a = create_passphrase_workspace(store, "甲单位", secret, secret)
    b = create_passphrase_workspace(store, "丙单位", secret)
    store.create(a.id, park())
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(DB_FILE))
    assert secret.encode("utf-8") not in raw and "春眠不觉晓".encode("utf-8") not in raw
    wa, wb = store.find_passphrase_workspace("甲单位"), store.find_passphrase_workspace("丙单位")
    assert len(wa.salt) == 16 and wa.salt != wb.salt  # a random salt per workspace
    assert wa.secret_hash != wb.secret_hash  # same passphrase, different hashes
    assert wa.kdf.startswith("scrypt:")
    # the stored hash is the scrypt of the passphrase with that salt
    assert hash_passphrase(secret, wa.salt, wa.kdf)[1] == wa.secret_hash
    assert verify_passphrase(secret, wa.salt, wa.secret_hash, wa.kdf)
    assert not verify_passphrase(secret + "x", wa.salt, wa.secret_hash, wa.kdf)


def test_sign_in_with_passphrase(store):
    ws = create_passphrase_workspace(store, "甲单位", "jia-danwei-2026", "jia-danwei-2026")
    assert open_passphrase_workspace(store, "甲单位", "jia-danwei-2026") == ws
    assert open_passphrase_workspace(store, " 甲单位 ", "jia-danwei-2026").id == ws.id  # spaces around the name
    with pytest.raises(WorkspaceError) as wrong:
        open_passphrase_workspace(store, "甲单位", "jia-danwei-2025")
    with pytest.raises(WorkspaceError) as unknown:
        open_passphrase_workspace(store, "丁单位", "jia-danwei-2026")
    assert str(wrong.value) == str(unknown.value) == BAD_CREDENTIALS
    with pytest.raises(WorkspaceError, match="名称已被使用"):
        create_passphrase_workspace(store, "甲单位", "another-pass-1")
    with pytest.raises(WorkspaceError, match="至少 8 个字符"):
        create_passphrase_workspace(store, "戊单位", "short")
    with pytest.raises(WorkspaceError, match="不一致"):
        create_passphrase_workspace(store, "戊单位", "long-enough-1", "long-enough-2")


def test_repeated_wrong_passphrases_lock_the_workspace_for_a_while(store):
    ws = create_passphrase_workspace(store, "甲单位", "jia-danwei-2026")
    t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    for _ in range(MAX_FAILURES):
        with pytest.raises(WorkspaceError, match="不正确"):
            open_passphrase_workspace(store, "甲单位", "wrong-pass", now=t0)
    # the fifth failure locked it: even the right passphrase is refused for LOCK_SECONDS
    with pytest.raises(WorkspaceError, match="59 秒后再试"):
        open_passphrase_workspace(store, "甲单位", "jia-danwei-2026", now=t0 + dt.timedelta(seconds=1))
    later = t0 + dt.timedelta(seconds=LOCK_SECONDS + 1)
    assert open_passphrase_workspace(store, "甲单位", "jia-danwei-2026", now=later).id == ws.id
    assert store.find_passphrase_workspace("甲单位").failed_attempts == 0


def test_signed_in_users_get_separate_workspaces_keyed_by_subject(store):
    a = oidc_workspace(store, {"iss": "https://id.example", "sub": "1001", "email": "a@example.cn"})
    a2 = oidc_workspace(store, {"iss": "https://id.example", "sub": "1001", "email": "a.new@example.cn"})
    b = oidc_workspace(store, {"iss": "https://id.example", "sub": "1002", "email": "b@example.cn"})
    assert a.id == a2.id != b.id
    assert "1001" not in a.id and "example" not in a.id  # a hash, not the identifier itself
    e = oidc_workspace(store, {"email": "C@Example.cn"})
    assert e.id == oidc_workspace(store, {"email": "c@example.cn"}).id
    with pytest.raises(WorkspaceError):
        oidc_workspace(store, {"name": "无标识"})
    rec = store.create(a.id, park())
    assert store.list(b.id) == [] and [r.id for r in store.list(a.id)] == [rec.id]


def test_mode_settings():
    assert load_settings({}, {}).mode == "local"
    assert load_settings({"SFJD_MULTIUSER": "1"}, {}).mode == "passphrase"
    assert load_settings({}, {"SFJD_MULTIUSER": True}).mode == "passphrase"
    assert load_settings({}, {"sfjd": {"multiuser": True}}).mode == "passphrase"
    assert load_settings({"SFJD_MULTIUSER": "0"}, {"sfjd": {"multiuser": True}}).mode == "local"  # env first
    auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
            "client_id": "cid", "client_secret": "x", "server_metadata_url": "https://id.example/.well-known/openid"}
    s = load_settings({"SFJD_MULTIUSER": "1"}, {"auth": auth})
    assert s.mode == "oidc" and s.oidc_providers == (None,)
    named = {"redirect_uri": auth["redirect_uri"], "cookie_secret": auth["cookie_secret"],
             "corp": {"client_id": "c", "client_secret": "x", "server_metadata_url": "https://corp/.well-known"}}
    assert load_settings({"SFJD_MULTIUSER": "1"}, {"auth": named}).oidc_providers == ("corp",)
    # an [auth] section without the shared settings is not usable: passphrases
    incomplete = {k: v for k, v in auth.items() if k != "cookie_secret"}
    assert load_settings({"SFJD_MULTIUSER": "1"}, {"auth": incomplete}).mode == "passphrase"
    assert load_settings({"SFJD_DATA_DIR": "/tmp/x"}, {}).data_dir == Path("/tmp/x")


# ---------------------------------------------------------------------------------------------------------------
# differences shown in the version view


def test_diff_names_fields_in_chinese_and_formats_values():
    old = dump_application(park())
    new = dump_application(park(**{"lead.top10": [], "city": "xiamen", "attestations.no_major_accident": True}))
    changes = {c.label: (c.old, c.new) for c in diff_data(old, new)}
    assert changes["所在设区市"] == (None, "xiamen")
    assert changes["承诺事项 › 近三年未发生较大及以上生产安全事故"] == (None, True)
    # the removed top-10 row: its non-empty cells
    assert changes["主导产业近三年发展情况 › 主导产业营业收入排名前十的企业 › 第1行 › 企业名称"] == ("甲公司", None)
    assert changes["主导产业近三年发展情况 › 主导产业营业收入排名前十的企业 › 第1行 › 营业收入"] == (12.5, None)
    assert len(changes) == 5  # city, attestation, and the three cells of the removed row
    assert summarize_changes(diff_data(old, old)) == "无变化"
    assert display_value("xiamen", "city") == "厦门"
    assert display_value(True) == "是" and display_value(None) == "（空）" and display_value(12.50) == "12.5"
    assert display_value(["ai", "robot"], "other_domains") == "人工智能、智能机器人"


# ---------------------------------------------------------------------------------------------------------------
# versions at sensible moments: autosaved edits without a pause are one version


def _versions(store: Store, app_id: str) -> list[tuple[int, bool, str]]:
    return [(v.version, v.kept, v.summary) for v in store.list_versions(LOCAL.id, app_id)]


def test_autosaved_edits_without_a_pause_are_one_version(store):
    rec = store.create(LOCAL.id, park())  # version 1, kept
    v = 1
    for i, name in enumerate(("乙园区", "丙园区", "丁园区")):
        v = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": name, "basic.planned_area": 1200.0 + i}), v,
                       auto=True).version
    # three saves, each with a new number (so another window's save is still a conflict), one version in the history
    assert v == 4
    vs = _versions(store, rec.id)
    assert [x[0] for x in vs] == [4, 1]
    assert vs[0][1] is False and vs[1][1] is True
    # the summary compares with version 1, not with the last edit: both fields changed
    assert vs[0][2].startswith("修改 2 处") and "园区名称" in vs[0][2] and "规划面积" in vs[0][2]
    assert store.get_version(LOCAL.id, rec.id, 4).application().basic.park_name == "丁园区"
    # a window still on version 3 (or on 2) gets a conflict, not a silent overwrite
    with pytest.raises(ConflictError):
        store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "戊园区"}), 3, auto=True)


def test_keep_and_a_pause_start_a_new_version(store, monkeypatch):
    rec = store.create(LOCAL.id, park())
    v = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙园区"}), 1, auto=True).version
    assert store.keep(LOCAL.id, rec.id, "手动保存") == v == 2
    v = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "丙园区"}), v, auto=True).version
    vs = _versions(store, rec.id)
    assert [x[0] for x in vs] == [3, 2, 1]
    assert vs[1][1] is True and vs[1][2].startswith("手动保存：修改 1 处")
    # a pause longer than VERSION_PAUSE_SECONDS: the next edit is a version of its own
    import scoring.store.drafts as drafts

    monkeypatch.setattr(drafts, "VERSION_PAUSE_SECONDS", 0.0)
    v = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "丁园区"}), v, auto=True).version
    assert [x[0] for x in _versions(store, rec.id)] == [4, 3, 2, 1]
    # an explicit (not auto) save is always a kept version of its own
    monkeypatch.setattr(drafts, "VERSION_PAUSE_SECONDS", 3600.0)
    v = store.save(LOCAL.id, rec.id, park(**{"basic.park_name": "戊园区"}), v).version
    assert _versions(store, rec.id)[:2] == [(5, True, "修改 1 处：园区基本信息 › 园区名称"),
                                               (4, False, "修改 1 处：园区基本信息 › 园区名称")]


def test_a_store_of_before_gets_the_kept_column(tmp_path):
    import sqlite3

    path = tmp_path / DB_FILE
    s = Store(path)
    local_workspace(s)
    rec = s.create(LOCAL.id, park())
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE versions DROP COLUMN kept")
    con.commit()
    con.close()
    s2 = Store(path)  # reopened: the column is added, the old versions count as kept
    assert _versions(s2, rec.id) == [(1, True, "新建")]
    assert s2.save(LOCAL.id, rec.id, park(**{"basic.park_name": "乙园区"}), 1, auto=True).version == 2
