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



@pytest.mark.parametrize("name, value", [("MEMBERSHIP_HISTORY_KEEP", "0"), ("MEMBERSHIP_HISTORY_KEEP", "ten"),
                                         ("MEMBERSHIP_TRUSTED_PROXIES", "6"), ("MEMBERSHIP_TRUSTED_PROXIES", "-1")])
def test_a_count_out_of_its_range_is_a_message_naming_the_variable_and_the_range(name: str, value: str):
    with pytest.raises(SettingsError, match=f"{name}='{value}' must be a whole number from"):
        Settings.from_env({name: value})


def test_counts_and_sizes_from_the_environment_reach_the_settings():
    settings = Settings.from_env({"MEMBERSHIP_HISTORY_KEEP": " 7 ", "MEMBERSHIP_TRUSTED_PROXIES": "0",
                                  "MEMBERSHIP_MAX_UPLOAD_MB": "1.5", "MEMBERSHIP_IMAGE_CACHE_MB": "0"})
    assert (settings.history_keep, settings.trusted_proxies) == (7, 0)
    assert (settings.max_upload_bytes, settings.image_cache_bytes) == (1_572_864, 0)


@pytest.mark.parametrize("value, message", [("big", "is not a number of megabytes"), ("-1", "must be from 0 to 4096"),
                                            ("4097", "must be from 0 to 4096")])
def test_an_unusable_image_cache_size_is_a_message_naming_the_variable(value: str, message: str):
    with pytest.raises(SettingsError, match=f"MEMBERSHIP_IMAGE_CACHE_MB='{value}' {message}"):
        Settings.from_env({"MEMBERSHIP_IMAGE_CACHE_MB": value})


def test_of_several_unusable_settings_the_first_checked_is_the_one_reported():
    env = {"MEMBERSHIP_IMAGE_CACHE_MB": "big", "MEMBERSHIP_PUBLIC_URL": "ftp://x", "MEMBERSHIP_SECRET_KEY": "short",
           "MEMBERSHIP_MAX_UPLOAD_MB": "0", "MEMBERSHIP_TRUSTED_PROXIES": "9", "MEMBERSHIP_HISTORY_KEEP": "0"}
    for name in ("MEMBERSHIP_HISTORY_KEEP", "MEMBERSHIP_TRUSTED_PROXIES", "MEMBERSHIP_MAX_UPLOAD_MB",
                 "MEMBERSHIP_SECRET_KEY", "MEMBERSHIP_PUBLIC_URL", "MEMBERSHIP_IMAGE_CACHE_MB"):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env(env)
        del env[name]
    assert Settings.from_env(env).secret_key == ""

def test_under_gunicorn_without_membership_host_the_address_is_unknown_not_0_0_0_0():
    settings = Settings.under_wsgi({})
    reason = editing_off_reason(settings)
    assert not settings.editing_allowed and reason is not None
    assert "not known" in reason and "MEMBERSHIP_HOST" in reason and "0.0.0.0" not in reason


def test_under_gunicorn_with_membership_host_the_stated_address_counts():
    assert Settings.under_wsgi({"MEMBERSHIP_HOST": "127.0.0.1"}).editing_allowed
    reason = editing_off_reason(Settings.under_wsgi({"MEMBERSHIP_HOST": "0.0.0.0"}))
    assert reason is not None and "listens on 0.0.0.0" in reason
