"""What a backup directory must hold: its manifest, with the SHA-256 of every file written beside it, and
the check of those checksums that a restore passes before it touches anything.

The checksums find a damaged or edited file (a flipped bit in a Parquet file, a file added or lost). They
do not prove who made the backup: whoever can write the directory can rewrite the manifest too, so
backups belong where only the administrators can write (README, security section).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

MANIFEST = "ipmetrics-backup.json"
CHECKSUMS = "files"            # the manifest's key: {file name relative to the directory: SHA-256}
SHOWN_PROBLEMS = 5             # a restore's refusal names this many problems, then counts the rest
_CHUNK = 1024 * 1024


class BackupError(ValueError):
    """A backup directory that cannot be restored as it is; the message is in Chinese and names the file."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(directory: Path) -> list[str]:
    """Every file of a backup but its manifest, as POSIX paths relative to `directory`, sorted."""
    return sorted(path.relative_to(directory).as_posix() for path in directory.rglob("*")
                  if path.is_file() and path.relative_to(directory).as_posix() != MANIFEST)


def checksums(directory: Path) -> dict[str, str]:
    """{file: SHA-256} for every file of a backup but its manifest: the manifest's CHECKSUMS entry."""
    return {name: sha256_of(directory / name) for name in data_files(directory)}


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} 不是 ipmetrics 备份目录（缺少 {MANIFEST}）。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"备份清单 {path} 无法读取（第 {getattr(exc, 'lineno', '?')} 行）：已损坏或被改动。") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"备份清单 {path} 的格式不对：已损坏或被改动。")
    return manifest


def is_verifiable(manifest: dict) -> bool:
    """Whether the manifest lists checksums: backups made before they were added do not."""
    return CHECKSUMS in manifest


def problems(directory: Path, manifest: dict) -> list[str]:
    """What does not match the manifest's checksums, one sentence per file: a file listed but missing or
    different, a file present but not listed, a listed name that points out of the directory."""
    listed = manifest.get(CHECKSUMS)
    if not isinstance(listed, dict):
        return [f"备份清单 {MANIFEST} 的校验和一项格式不对"]
    found = []
    for name, expected in sorted(listed.items()):
        relative = PurePosixPath(str(name))
        if relative.is_absolute() or ".." in relative.parts or str(name) == MANIFEST:
            found.append(f"清单中的文件名无效：{name}")
        elif not (directory / relative).is_file():
            found.append(f"缺少文件 {name}")
        elif sha256_of(directory / relative) != str(expected).lower():
            found.append(f"文件 {name} 的 SHA-256 与清单不符（已损坏或被改动）")
    found += [f"多出清单未列出的文件 {name}" for name in data_files(directory) if name not in listed]
    return found


def verify(directory: Path, allow_unverified: bool = False) -> dict:
    """The manifest of a backup whose files all match it; else BackupError naming the files.

    A backup from before checksums is refused unless `allow_unverified` (the CLI's --allow-unverified)."""
    manifest = read_manifest(directory)
    if not is_verifiable(manifest):
        if not allow_unverified:
            raise BackupError(f"备份 {directory} 的清单没有校验和（由较早的版本制作），无法确认文件完好，未恢复。"
                              "确认要恢复请加 --allow-unverified。")
        return manifest
    found = problems(directory, manifest)
    if found:
        more = f"等 {len(found)} 处" if len(found) > SHOWN_PROBLEMS else ""
        raise BackupError(f"备份 {directory} 未通过校验，数据库未作任何改动：{'；'.join(found[:SHOWN_PROBLEMS])}{more}。")
    return manifest
