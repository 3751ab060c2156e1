"""The one place that decides how a build's targets (jsna/build/targets.py) are made: it computes
every key, takes what the store keeps, makes what is missing (the missing first, then in each
target's order), starts worker pools when there is work for them, and keeps what is made.

It knows pools only as `concurrent.futures.Executor`s, made by the factories it is given when
the first target for them is found to be missing (so a pool's workers start their imports while
what they wait for is made here), each with the number of its workers, so that pools sharing
the processors are given no more than those can run; another executor (a cluster's, say)
needs no change here.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from hashlib import sha256
from typing import Callable, Iterable

from jsna.build.code import module_file
from jsna.build.store import Store, code_version, digest
from jsna.build.targets import HERE, Target
from jsna.errors import JsnaError, JsnaErrors, Position

# A target's state: its key not known yet; waiting to be demanded (lazy); kept (to be read);
# to be made (once its needs are made); its needs made, queued to be made; being made in a pool;
# made or read.
WAITING, IDLE, KEPT, MAKE, QUEUED, RUNNING, DONE = range(7)
# What this process is to do with a target it takes from its queue (making goes before reading).
MAKE_HERE, READ = 0, 1

PoolFactory = Callable[[int], tuple[Executor, int] | None]


class Scheduler:
    """Makes targets: `run(targets)` gives every target's result by name. `pools`: where ->
    a factory given how many targets there are known to be made there, returning an executor
    and how many workers it has (or None: they are made here). `libraries`: whose versions
    every key covers. `declared_by`: the jsna modules that declare the targets (what arguments
    each is given, how results are kept), whose own source every key covers too. `done(target,
    result, made)` is called as each result comes, in this process. `reuse(target, key)`, if
    given, is asked at the end about each kept target that nothing made needed: True if the files
    it writes are in place already (then it is not read; others are). `slots`: (places, n): the
    pools of those places are given no more targets than they have idle workers, and at most n
    between them, the next by order as one ends: their workers never outnumber the processors,
    and a PDF ready later still goes before the charts that would otherwise be queued in their
    pool ahead of it."""

    def __init__(
        self, store: Store | None, pools: dict[str, PoolFactory], libraries: tuple[str, ...] = (),
        done: Callable[[Target, object, bool], None] = lambda target, result, made: None,
        declared_by: tuple[str, ...] = (),
        reuse: Callable[[Target, str], bool] | None = None,
        slots: tuple[frozenset[str], int] = (frozenset(), 0),
    ):
        self.store = store
        self.reuse = reuse
        self._shared, self._slots = slots
        self._given: dict[str, int] = defaultdict(int)  # where -> targets given to its pool
        self._workers: dict[str, int] = {}
        self._deferred: list[str] = []  # kept targets not read yet: maybe never
        self.factories = pools
        self.libraries = libraries
        self.done = done
        self.targets: dict[str, Target] = {}
        self.keys: dict[str, str] = {}
        self.results: dict[str, object] = {}
        self.state: dict[str, int] = {}
        self.demanded: set[str] = set()
        self.dependents: dict[str, list[str]] = defaultdict(list)  # need -> what needs it
        self.users: dict[str, list[str]] = defaultdict(list)  # used -> what uses it (`Target.uses`)
        self._unkeyed: dict[str, int] = {}  # name -> how many of its needs have no key yet
        self._undone: dict[str, int] = {}  # name -> how many of its needs are not made or read yet
        self.pools: dict[str, Executor | None] = {}
        self.running: dict[Future, str] = {}
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [made, read]
        self._here: list[tuple] = []  # heap of (order, action, seq, name)
        self._submit: list[tuple] = []
        self._declaring = 0  # targets to be made here whose results declare more
        self._wanting: dict[str, int] = defaultdict(int)  # where -> targets to make there, before its pool is made
        self._seq = 0
        self._code: dict[Callable, str] = {}
        self._modules: dict[str, str] = {}
        self._declarations = digest(*(module_file(name).read_bytes() for name in declared_by))

    # Declaring, and keys ------------------------------------------------------------------

    def declare(self, targets: Iterable[Target]) -> None:
        """Add targets; their keys are found as soon as what they need is known."""
        known, keys, state, dependents = self.targets, self.keys, self.state, self.dependents
        unkeyed, undone = self._unkeyed, self._undone
        for target in targets:
            name, needs = target.name, target.needs
            if name in known:
                raise JsnaError(Position(name), f"expected one target named '{name}', found two")
            known[name] = target
            state[name] = WAITING
            unkeyed[name] = len([n for n in needs if n not in keys]) if needs else 0
            undone[name] = len([n for n in target.waits_for if state.get(n) != DONE]) if needs or target.uses else 0
            for need in needs:
                dependents[need].append(name)
            for used in target.uses:
                self.users[used].append(name)
            if target.by_content and self._wanted(target):
                self._demand_needs(target)
        for target in targets:
            if target.name not in keys and self._may_key(target.name):
                self._set_key(target.name)
        self._start_pools()

    def code_key(self, make: Callable) -> str:
        """The code a make function runs: its module's closure inside jsna, the libraries'
        versions, and its name."""
        if make not in self._code:
            module = make.__module__
            if module not in self._modules:
                self._modules[module] = code_version((module,), self.libraries)
            self._code[make] = digest(self._modules[module], self._declarations, make.__qualname__)
        return self._code[make]

    def key_of(self, target: Target, needs: tuple[str, ...]) -> str:
        """SHA-256 over the target's kind, code, form, inputs and needs (as a tuple's repr, which
        no other list of strings shares)."""
        parts = (target.kind, self._code.get(target.make) or self.code_key(target.make),
                 target.keep.form if target.keep else "", *target.inputs, *needs)
        return sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _may_key(self, name: str) -> bool:
        """Whether what the target's key is made of is known: its needs' keys, or with
        `by_content`, their results."""
        return (self._undone if self.targets[name].by_content else self._unkeyed)[name] == 0

    def _set_key(self, name: str) -> None:
        target, keys = self.targets[name], self.keys
        if target.by_content:
            needs = tuple(_fingerprint(self.results[n]) for n in target.needs)
        else:
            needs = tuple(map(keys.__getitem__, target.needs))
        keys[name] = key = self.key_of(target, needs)
        self._decide(target, key)
        unkeyed, known = self._unkeyed, self.targets
        for dependent in self.dependents.get(name, ()):
            if dependent in known:
                unkeyed[dependent] -= 1
                if dependent not in keys and self._may_key(dependent):
                    self._set_key(dependent)

    def _decide(self, target: Target, key: str) -> None:
        """Kept (to read), to make, or idle until demanded."""
        if (target.keep and self.store and self.store.has(key)) or (target.instead is not None and self._kept_instead(target)):
            self._keep(target)
        elif self._wanted(target):
            self._to_make(target.name)
        else:
            self.state[target.name] = IDLE

    def _kept_instead(self, target: Target) -> bool:
        other = target.instead
        return bool(other.keep and self.store and self.store.has(self.key_of(other, ())))

    def _wanted(self, target: Target) -> bool:
        return not target.lazy or target.name in self.demanded

    def _demand_needs(self, target: Target) -> None:
        for need in target.waits_for:
            if need not in self.demanded:
                self.demanded.add(need)
                if self.state.get(need) == IDLE:
                    self._to_make(need)
                elif self.state.get(need) == KEPT:
                    self._push(-1, READ, need)
                elif need in self.targets and self.targets[need].by_content:
                    self._demand_needs(self.targets[need])

    # Making -------------------------------------------------------------------------------

    def _to_make(self, name: str) -> None:
        target = self.targets[name]
        self.state[name] = MAKE
        self._declaring += target.then is not None
        for need in target.waits_for:  # what it needs that is kept is read before anything else
            if self.state.get(need) == DONE and need not in self.results:  # settled unread: read it after all
                self.state[need] = KEPT
                self._undone[name] += 1
            if self.state.get(need) == KEPT:
                self._push(-1, READ, need)
        if target.where != HERE and target.where not in self.pools:
            # A pool is sized by what is to be made there, less what is lazy: made for something
            # else to be made there, it goes first, in the same turn.
            self._wanting[target.where] += not target.lazy
        self._demand_needs(target)
        self._check_ready(name)

    def _start_pools(self, force: bool = False) -> None:
        """Make the pools there are now targets to make in, each sized by how many there are
        (its workers start on their imports while the targets' needs are made); not while a
        target whose result declares more (a chapter's view) is still to be made here, so that
        the pools are sized for all that is missing (unless `force`d: nothing else to do)."""
        if self._declaring and not force:
            return
        for where, jobs in sorted(self._wanting.items()):
            factory = self.factories.get(where)
            made = factory(jobs) if factory else None
            self.pools[where], self._workers[where] = made or (None, 0)
        self._wanting.clear()

    def _keep(self, target: Target) -> None:
        """A target found kept: read now, or deferred (read only if something made needs it, or
        its files do)."""
        name = target.name
        self.state[name] = KEPT
        if self.reuse is not None and target.then is None and name not in self.demanded:
            self._deferred.append(name)
        else:
            self._push(target.order, READ, name)

    def _push(self, order: int, action: int, name: str) -> None:
        """Queue work for this process: to make (first) or to read a target, in its order."""
        self._seq += 1
        heapq.heappush(self._here, (order, action, self._seq, name))

    def _check_ready(self, name: str) -> None:
        if self.state[name] != MAKE or self._undone[name]:
            return
        target = self.targets[name]
        self.state[name] = QUEUED
        if target.where == HERE:
            self._push(target.order, MAKE_HERE, name)
        else:
            self._seq += 1
            self._submit.append((target.order, self._seq, name))

    def _arguments(self, target: Target) -> tuple:
        return (*target.args, *(self.results[n] for n in target.waits_for))

    def _make_here(self, name: str) -> None:
        target = self.targets[name]
        try:
            result = target.make(*self._arguments(target))
        except (JsnaError, JsnaErrors):
            raise
        except Exception as exc:
            raise _failed(name, exc) from exc
        self._finish(target, result, made=True)

    def _read(self, name: str) -> None:
        """A kept result; one that does not check (jsna/build/store.py) is made again."""
        target = self.targets[name]
        keep, key = target.keep, self.keys[name]
        if target.instead is not None and not (keep and self.store.has(key)):
            keep, key = target.instead.keep, self.key_of(target.instead, ())
        data = self.store.get(key)
        if data is None:
            self._to_make(name)
            return
        self._finish(target, keep.decode(data), made=False)

    def _finish(self, target: Target, result: object, made: bool) -> None:
        name = target.name
        self.results[name] = result
        self._mark_done(name, made)
        if made:
            self._declaring -= target.then is not None
            if target.keep and self.store:
                self.store.put(self.keys[name], target.keep.encode(result))
        self.done(target, result, made)
        dependents = self._waiting_on(name)
        if target.then is not None:
            dependents = list(dependents)  # those `then` declares count this one done already
            self.declare(list(target.then(result)))
        if dependents:
            self._release(dependents)

    def _mark_done(self, name: str, made: bool) -> None:
        self.state[name] = DONE
        self.counts[name.partition(":")[0]][0 if made else 1] += 1

    def _waiting_on(self, name: str) -> list[str] | tuple[str, ...]:
        """What needs or uses the target `name`."""
        if name in self.users:
            return self.dependents.get(name, []) + self.users[name]
        return self.dependents.get(name, ())

    def _release(self, dependents: Iterable[str]) -> None:
        """Tell what needs a target that it is done: each is keyed or made ready."""
        known, keys, undone, state = self.targets, self.keys, self._undone, self.state
        for dependent in dependents:
            if dependent in known:
                undone[dependent] -= 1
                if dependent not in keys:
                    if self._may_key(dependent):
                        self._set_key(dependent)
                elif state[dependent] == MAKE and not undone[dependent]:
                    self._check_ready(dependent)

    def _hand_over(self, force: bool = False) -> None:
        """Give the pools the targets ready for them, in order (those without a pool are made
        here; those whose pool is not made yet wait for it: see `_start_pools`)."""
        self._start_pools(force)
        waiting = []
        for entry in sorted(self._submit):
            target = self.targets[entry[2]]
            if target.where not in self.pools or (self.pools[target.where] is not None and self._full(target.where)):
                waiting.append(entry)
            elif self.pools[target.where] is None:
                self._push(target.order, MAKE_HERE, target.name)
            else:
                self.state[target.name] = RUNNING
                self._given[target.where] += 1
                self.running[self.pools[target.where].submit(target.make, *self._arguments(target))] = target.name
        self._submit = waiting

    def _full(self, where: str) -> bool:
        """Whether a pool is to be given no more targets for now: a shared place's, while each
        of its workers has one or the slots are taken."""
        return where in self._shared and (
            self._given[where] >= self._workers[where] or sum(self._given[w] for w in self._shared) >= self._slots)

    def _collect(self, timeout: float | None) -> None:
        finished, _ = wait(list(self.running), timeout=timeout, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: self.targets[self.running[f]].order):
            name = self.running.pop(future)
            self._given[self.targets[name].where] -= 1
            try:
                result = future.result()
            except (JsnaError, JsnaErrors):
                raise
            except Exception as exc:
                raise _failed(name, exc) from exc
            self._finish(self.targets[name], result, made=True)

    def run(self, targets: Iterable[Target]) -> dict[str, object]:
        """Make or read every target (and those their results declare); results by name."""
        try:
            self.declare(list(targets))
            while True:
                if self._submit:
                    self._hand_over()
                if self.running and any(future.done() for future in self.running):
                    self._collect(0)
                    continue
                if self._here:
                    _, action, _, name = heapq.heappop(self._here)
                    if action == READ and self.state[name] == KEPT:
                        self._read(name)
                    elif action == MAKE_HERE and self.state[name] == QUEUED:
                        self._make_here(name)
                elif self._deferred and not self._declaring:
                    self._settle()  # while the workers work
                elif self.running:
                    self._collect(None)
                elif self._submit:
                    self._hand_over(force=True)
                elif self._deferred:
                    self._settle()
                else:
                    break
            self._check_all_done()
        except BaseException:
            self._close(cancel=True)
            raise
        self._close(cancel=False)
        return self.results

    def _settle(self) -> None:
        """The kept targets nothing made needed: done without being read where they write no
        files or `reuse` finds theirs in place; read otherwise."""
        deferred, self._deferred = self._deferred, []
        for name in deferred:
            if self.state[name] != KEPT:
                continue
            target = self.targets[name]
            if target.writes is None or self.reuse(target, self.keys[name]):
                self._mark_done(name, made=False)
                self._release(self._waiting_on(name))
            else:
                self._push(target.order, READ, name)

    def _check_all_done(self) -> None:
        for name, state in self.state.items():
            if state not in (DONE, IDLE):
                missing = [n for n in self.targets[name].waits_for if n not in self.targets]
                found = f"it needs {', '.join(missing)}, which no target declared" if missing else "it was never made"
                raise JsnaError(Position(name), f"expected {name} to be made, found {found}")

    def _close(self, cancel: bool) -> None:
        for pool in self.pools.values():
            if pool is not None:
                pool.shutdown(wait=not cancel, cancel_futures=cancel)


def _failed(name: str, exc: Exception) -> JsnaError:
    """An unexpected failure while making a target, as one line naming the target."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return JsnaError(Position(name), f"expected to make {name}, found {type(exc).__name__}" + (f": {detail}" if detail else ""))


def _fingerprint(result: object) -> str:
    """A digest of a result, for the targets keyed by what their needs came out as."""
    if isinstance(result, (bytes, str)):
        return digest(result)
    if isinstance(result, (tuple, list)):
        return digest("sequence", *(_fingerprint(part) for part in result))
    if isinstance(result, dict):
        return digest("mapping", *(f"{k!r}={_fingerprint(v)}" for k, v in sorted(result.items(), key=lambda kv: repr(kv[0]))))
    return digest(repr(result))
