"""Other repositories read beside the local plans (rectify.yaml `sources:`).

A supervising office reads every unit's ledger, each kept in the unit's own
repository. `fetch` brings each source into a bare repository in the user's
cache directory (plain `git fetch`, the whole history, never shallow) and pins
the commit it fetched under a ref kept per local repository. Read commands
then read that pinned commit through a `GitTree`, shown under a folder named
`name@commit`, so what they show changes only when somebody fetches again, and
every line says which commit of which source it comes from.

A URL comes from a file in the repository, so git is only ever asked to fetch
over its ordinary transports (never `ext::`), never prompts for a password,
and a URL's user and password never reach a message.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .gitread import Git, GitError
from .model import SourceSpec
from .problems import Problem, warning
from .tree import GitTree

PIN_NAMESPACE = "refs/rectify"
FETCH_TIMEOUT = 600  # seconds for one source; a server that hangs must not hang the office's CI
_PROTOCOLS = "file:git:http:https:ssh"
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


@dataclass(frozen=True, slots=True)
class Mount:
    """A source as it is read: its pinned commit's files, under `top`."""

    spec: SourceSpec
    sha: str
    tree: GitTree
    top: Path  # where its files are shown: ./name@commit

    @property
    def label(self) -> str:
        return f"{self.spec.name}@{self.sha[:7]}"

    @property
    def plans(self) -> Path:
        return self.top / self.spec.path if self.spec.path != "." else self.top


@dataclass(frozen=True, slots=True)
class Fetched:
    """What `fetch` did for one source: the commit now pinned, or why not."""

    name: str
    sha: str | None = None
    before: str | None = None  # the commit pinned until now
    key: str = ""  # a message key when the fetch failed
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.sha is not None


def cache_root() -> Path:
    """Where fetched sources are kept. RECTIFY_NO_CACHE does not apply: it turns
    off the parse cache, and without this directory there is nothing to read."""
    base = os.environ.get("RECTIFY_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("rectify", appauthor=False)
    return Path(base) / "sources"


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()


def repo_dir(spec: SourceSpec) -> Path:
    """One bare repository per URL, shared by every local repository that reads it."""
    return cache_root() / f"{_digest(spec.url)}.git"


def pin_ref(spec: SourceSpec, top: Path) -> str:
    """The ref pinning what `top`'s last fetch of `spec` brought: per local
    repository, so fetching for one ledger never moves what another one reads."""
    return f"{PIN_NAMESPACE}/{_digest(str(top.resolve()))}/{_digest(spec.name, spec.url, spec.ref)}"


def redact(text: str) -> str:
    """A URL's user and password (https://user:token@host) never reach the screen."""
    return _USERINFO.sub("***@", text)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ALLOW_PROTOCOL=_PROTOCOLS, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _git(args: Sequence[str], cwd: Path) -> tuple[int, str, str]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, timeout=FETCH_TIMEOUT, check=False)
    except FileNotFoundError:
        return 127, "", "git not found"
    except subprocess.TimeoutExpired:
        return 124, "", f"no answer within {FETCH_TIMEOUT} s"
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def _pinned_sha(repo: Path, ref: str) -> str | None:
    if not repo.is_dir():
        return None
    code, out, _ = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo)
    return out.strip() if code == 0 and out.strip() else None


def fetch(spec: SourceSpec, top: Path) -> Fetched:
    """Fetch one source's `ref` with its whole history and pin the commit."""
    from .store import private_dir

    repo = repo_dir(spec)
    if not private_dir(repo.parent):
        return Fetched(spec.name, key="source.cache_unusable", reason=str(repo.parent))
    if not (repo / "HEAD").is_file():
        code, _, err = _git(["init", "--quiet", "--bare", str(repo)], repo.parent)
        if code != 0:
            return Fetched(spec.name, key="source.unreachable", reason=redact(_first_line(err)))
    ref = pin_ref(spec, top)
    before = _pinned_sha(repo, ref)
    url = spec.url if "://" in spec.url or ":" in spec.url.split("/")[0] else str((top / spec.url).resolve())
    code, _, err = _git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", url, f"+{spec.ref}:{ref}"], repo)
    if code != 0:
        if "couldn't find remote ref" in err or "invalid refspec" in err:
            return Fetched(spec.name, before=before, key="source.no_ref", reason=spec.ref)
        return Fetched(spec.name, before=before, key="source.unreachable", reason=redact(_first_line(err)))
    sha = _pinned_sha(repo, ref)
    if sha is None:  # the ref named a tag of a tree or a blob
        return Fetched(spec.name, before=before, key="source.no_ref", reason=spec.ref)
    return Fetched(spec.name, sha=sha, before=before)


def _first_line(stderr: str) -> str:
    """git's reason: its `fatal:` line, else its first line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    fatal = [line.partition(":")[2].strip() for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or ["git failed"])[0]


def open_sources(specs: Sequence[SourceSpec], top: Path, here: Path | None = None) -> tuple[list[Mount], list[Problem]]:
    """Each source's pinned commit as a tree shown under ./name@commit, and one
    warning for each source that cannot be read (never fetched, cache gone)."""
    here = Path(os.path.abspath(here or Path.cwd()))
    mounts: list[Mount] = []
    problems: list[Problem] = []
    for spec in specs:
        repo = repo_dir(spec)
        sha = _pinned_sha(repo, pin_ref(spec, top))
        if sha is None:
            problems.append(warning(spec.source, "source.not_fetched", name=spec.name))
            continue
        try:
            tree = GitTree(Git(repo), sha)
        except GitError as exc:
            problems.append(warning(spec.source, "source.unreadable", name=spec.name, reason=str(exc.params.get("reason", exc.key))))
            continue
        mount_top = here / f"{spec.name}@{sha[:7]}"
        tree.top = mount_top
        mounts.append(Mount(spec, sha, tree, mount_top))
    return mounts, problems
