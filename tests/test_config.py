"""Settings come from the environment in one place, with a message for a value that cannot be used."""
from __future__ import annotations

from pathlib import Path

import pytest

import dashboard.config as config
from dashboard.config import Settings, SettingsError
from dashboard.core.dataset import BUNDLED_DATA_DIR, BUNDLED_DATA_PATH
from dashboard.web.access_check import editing_off_reason


def test_data_path_is_the_file_then_the_folder_then_the_bundled_data(tmp_path: Path):
    assert Settings.from_env({}).data_path == BUNDLED_DATA_PATH
    assert Settings.from_env({"MEMBERSHIP_DATA_DIR": str(tmp_path)}).data_path == tmp_path / "membership.csv"
    both = {"MEMBERSHIP_DATA_DIR": str(tmp_path), "MEMBERSHIP_DATA": str(tmp_path / "other.xlsx")}
    assert Settings.from_env(both).data_path == tmp_path / "other.xlsx"
    assert Settings.from_env(both, data_path=tmp_path / "flag.csv").data_path == tmp_path / "flag.csv"


def test_an_empty_data_folder_reads_the_bundled_data_until_its_first_change(tmp_path: Path):
    settings = Settings.from_env({"MEMBERSHIP_DATA_DIR": str(tmp_path / "mine")})
    assert settings.seed_dir == BUNDLED_DATA_DIR and settings.read_path == BUNDLED_DATA_PATH
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "membership.csv").write_bytes(BUNDLED_DATA_PATH.read_bytes())
    assert settings.read_path == tmp_path / "mine" / "membership.csv"
    assert Settings.from_env({"MEMBERSHIP_DATA": str(tmp_path / "f.csv")}).seed_dir is None
    assert Settings.from_env({"MEMBERSHIP_DATA_DIR": str(tmp_path)}, data_path=tmp_path / "f.csv").seed_dir is None


def test_an_installed_copy_keeps_its_data_in_the_users_folder_never_in_the_package(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(config, "BUNDLED_IN_PACKAGE", True)
    settings = Settings.from_env({})
    assert settings.data_folder == config.user_data_dir() and settings.seed_dir == BUNDLED_DATA_DIR
    assert BUNDLED_DATA_DIR not in settings.data_path.parents
    monkeypatch.setattr(config, "BUNDLED_IN_PACKAGE", False)
    assert Settings.from_env({}).data_path == BUNDLED_DATA_PATH and Settings.from_env({}).seed_dir is None


@pytest.mark.parametrize("value, message", [("lots", "is not a number"), ("0", "must be above 0"),
                                            ("5000", "at most 100")])
def test_an_unusable_upload_limit_is_a_message_naming_the_variable(value: str, message: str):
    with pytest.raises(SettingsError, match=message) as error:
        Settings.from_env({"MEMBERSHIP_MAX_UPLOAD_MB": value})
    assert "MEMBERSHIP_MAX_UPLOAD_MB" in str(error.value)


def test_under_gunicorn_without_membership_host_the_address_is_unknown_not_0_0_0_0():
    settings = Settings.under_wsgi({})
    reason = editing_off_reason(settings)
    assert not settings.editing_allowed and reason is not None
    assert "not known" in reason and "MEMBERSHIP_HOST" in reason and "0.0.0.0" not in reason


def test_under_gunicorn_with_membership_host_the_stated_address_counts():
    assert Settings.under_wsgi({"MEMBERSHIP_HOST": "127.0.0.1"}).editing_allowed
    reason = editing_off_reason(Settings.under_wsgi({"MEMBERSHIP_HOST": "0.0.0.0"}))
    assert reason is not None and "listens on 0.0.0.0" in reason
