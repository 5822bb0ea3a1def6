"use strict";
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};

// dist/native-path.js
var require_native_path = __commonJS({
  "dist/native-path.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.packageRoot = void 0;
    exports2.addonPath = addonPath;
    var path2 = __importStar2(require("node:path"));
    exports2.packageRoot = path2.join(__dirname, "..");
    function addonPath() {
      return require("node-gyp-build").resolve(exports2.packageRoot);
    }
  }
});

// dist/native.js
var require_native = __commonJS({
  "dist/native.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.PRIO = exports2.originalNofile = exports2.RLIMIT = void 0;
    exports2.signalNumber = signalNumber;
    exports2.signalName = signalName;
    exports2.setChildOomScoreAdj = setChildOomScoreAdj;
    exports2.decodeStatus = decodeStatus;
    exports2.spawn = spawn;
    exports2.onExit = onExit;
    exports2.waitExit = waitExit;
    exports2.startReaper = startReaper;
    exports2.flock = flock;
    exports2.mkfifo = mkfifo;
    exports2.kill = kill;
    exports2.killpg = killpg;
    exports2.getrlimit = getrlimit;
    exports2.setrlimit = setrlimit;
    exports2.setuid = setuid;
    exports2.setgid = setgid;
    exports2.setgroups = setgroups;
    exports2.initgroups = initgroups;
    exports2.chroot = chroot;
    exports2.nice = nice;
    exports2.getpriority = getpriority;
    exports2.setpriority = setpriority;
    exports2.setsid = setsid;
    exports2.setpgid = setpgid;
    exports2.getpgid = getpgid;
    exports2.setChildSubreaper = setChildSubreaper;
    exports2.pidfdOpen = pidfdOpen;
    exports2.watchPidfd = watchPidfd;
    exports2.notifySocketOpen = notifySocketOpen;
    exports2.notifySocketClose = notifySocketClose;
    exports2.procStat = procStat;
    exports2.pipe = pipe;
    exports2.dup = dup;
    exports2.setNonblock = setNonblock;
    exports2.setCloexec = setCloexec;
    exports2.getpwnam = getpwnam;
    exports2.getgrnam = getgrnam;
    exports2.getgrouplist = getgrouplist;
    exports2.execInPlace = execInPlace;
    var node_os_1 = require("node:os");
    var native_path_1 = require_native_path();
    var addon = require((0, native_path_1.addonPath)());
    exports2.RLIMIT = Object.freeze({ ...addon.RLIMIT });
    var NOFILE_ENV = "RUNITD_NOFILE_SOFT";
    function readOriginalNofile() {
      const given = process.env[NOFILE_ENV];
      delete process.env[NOFILE_ENV];
      if (given !== void 0 && /^\d+$/.test(given))
        return Number(given);
      if (given === "unlimited")
        return Infinity;
      return addon.getrlimit(addon.RLIMIT.NOFILE)[0];
    }
    exports2.originalNofile = readOriginalNofile();
    var signalNumbers = node_os_1.constants.signals;
    var signalNames = [];
    for (const [name, num] of Object.entries(signalNumbers)) {
      if (signalNames[num] === void 0)
        signalNames[num] = name;
    }
    function signalNumber(sig) {
      if (typeof sig === "number") {
        if (!Number.isInteger(sig) || sig < 0 || sig > 64)
          throw new TypeError(`invalid signal number: ${sig}`);
        return sig;
      }
      const name = sig.startsWith("SIG") ? sig : `SIG${sig}`;
      const num = signalNumbers[name];
      if (num === void 0)
        throw new TypeError(`unknown signal: ${sig}`);
      return num;
    }
    function signalName(num) {
      return signalNames[num] ?? `SIG${num}`;
    }
    var childOomScoreAdj = null;
    function setChildOomScoreAdj(v) {
      childOomScoreAdj = v === null ? null : checkOom(v);
    }
    function checkOom(v) {
      if (!Number.isInteger(v) || v < -1e3 || v > 1e3)
        throw new TypeError("spawn: oomScoreAdj must be an integer in -1000..1000");
      return v;
    }
    function checkId(name, v) {
      if (v === void 0)
        return null;
      if (!Number.isInteger(v) || v < 0 || v > 4294967294)
        throw new TypeError(`spawn: ${name} must be a non-negative integer`);
      return v;
    }
    function envList(env) {
      if (Array.isArray(env)) {
        for (const e of env)
          if (typeof e !== "string" || e.includes("\0"))
            throw new TypeError("spawn: env entries must be strings without NUL");
        return [...env];
      }
      const out = [];
      for (const [k, v] of Object.entries(env))
        if (v !== void 0)
          out.push(`${k}=${v}`);
      return out;
    }
    function stdioFd(spec, i) {
      if (spec === "inherit")
        return -1;
      if (spec === "null")
        return -2;
      if (Number.isInteger(spec) && spec >= 0)
        return spec;
      throw new TypeError(`spawn: stdio[${i}] must be 'inherit', 'null' or an fd`);
    }
    function checkExtraTarget(n) {
      if (!Number.isInteger(n) || n < 3 || n > 2147483647)
        throw new RangeError("spawn: extraFd target must be an integer >= 3");
      return n;
    }
    function toRawPlan(plan) {
      if (typeof plan.file !== "string" || plan.file.includes("\0"))
        throw new TypeError("spawn: file must be a string");
      const argv = plan.argv ? [...plan.argv] : [plan.file];
      for (const a of argv)
        if (typeof a !== "string" || a.includes("\0"))
          throw new TypeError("spawn: argv entries must be strings without NUL");
      const stdio = plan.stdio ?? ["inherit", "inherit", "inherit"];
      if (stdio.length !== 3)
        throw new TypeError("spawn: stdio must have 3 entries");
      const nofile = plan.nofile === void 0 ? exports2.originalNofile : plan.nofile;
      return {
        file: plan.file,
        argv,
        env: envList(plan.env ?? process.env),
        path: plan.searchPath ?? null,
        cwd: plan.cwd ?? null,
        stdio: [stdioFd(stdio[0], 0), stdioFd(stdio[1], 1), stdioFd(stdio[2], 2)],
        extraFd: plan.extraFd ? [checkExtraTarget(plan.extraFd[0]), checkInt("extraFd source", plan.extraFd[1])] : null,
        setsid: plan.setsid === true,
        pgid: plan.pgid === void 0 ? null : checkId("pgid", plan.pgid),
        nofile: nofile === null || nofile === Infinity ? null : checkId("nofile", nofile),
        sigmask: (plan.sigmask ?? []).map(signalNumber),
        uid: checkId("uid", plan.uid),
        gid: checkId("gid", plan.gid),
        groups: plan.groups ? plan.groups.map((g) => checkId("groups[]", g)) : null,
        oomScoreAdj: plan.oomScoreAdj === void 0 ? childOomScoreAdj : plan.oomScoreAdj === null ? null : checkOom(plan.oomScoreAdj)
      };
    }
    function decodeStatus(pid, status) {
      const term = status & 127;
      if (term === 0)
        return { pid, code: status >> 8 & 255, signal: null, status };
      return { pid, code: null, signal: signalName(term), status };
    }
    var listeners = /* @__PURE__ */ new Set();
    var waiters = /* @__PURE__ */ new Map();
    var live = /* @__PURE__ */ new Set();
    var reaperStarted = false;
    function dispatch(flat) {
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const exit = decodeStatus(flat[i], flat[i + 1]);
        live.delete(exit.pid);
        const w = waiters.get(exit.pid);
        if (w) {
          waiters.delete(exit.pid);
          w(exit);
        }
        for (const l of listeners) {
          try {
            l(exit);
          } catch (err) {
            process.nextTick(() => {
              throw err;
            });
          }
        }
      }
      if (live.size === 0)
        addon.reaperRef(false);
    }
    function ensureReaper() {
      if (reaperStarted)
        return;
      addon.reaperStart(dispatch);
      reaperStarted = true;
      const early = addon.reapNow();
      if (early.length > 0)
        setImmediate(() => dispatch(early));
    }
    function spawn(plan) {
      const raw = toRawPlan(plan);
      ensureReaper();
      const pid = addon.spawn(raw);
      live.add(pid);
      addon.reaperRef(true);
      return pid;
    }
    function onExit(listener) {
      ensureReaper();
      listeners.add(listener);
      return () => listeners.delete(listener);
    }
    function waitExit(pid) {
      ensureReaper();
      if (waiters.has(pid))
        throw new Error(`waitExit: already waiting for ${pid}`);
      return new Promise((resolve) => waiters.set(pid, resolve));
    }
    function startReaper() {
      ensureReaper();
    }
    function checkFd(fd) {
      if (!Number.isInteger(fd) || fd < 0)
        throw new TypeError(`invalid fd: ${fd}`);
      return fd;
    }
    function checkInt(name, v) {
      if (!Number.isInteger(v))
        throw new TypeError(`${name} must be an integer`);
      return v;
    }
    function checkPath(p) {
      if (typeof p !== "string" || p === "" || p.includes("\0"))
        throw new TypeError("path must be a non-empty string");
      return p;
    }
    function checkLimit(v) {
      if (v !== Infinity && !(Number.isInteger(v) && v >= 0))
        throw new TypeError("rlimit must be a non-negative integer or Infinity");
      return v;
    }
    function checkResource(resource) {
      const r = addon.RLIMIT[resource];
      if (r === void 0)
        throw new TypeError(`unknown rlimit resource: ${resource}`);
      return r;
    }
    function flock(fd, mode, nonblocking = false) {
      if (mode !== "sh" && mode !== "ex" && mode !== "un")
        throw new TypeError(`flock: mode must be sh, ex or un`);
      addon.flock(checkFd(fd), mode, nonblocking);
    }
    function mkfifo(p, mode = 384) {
      addon.mkfifo(checkPath(p), checkInt("mode", mode));
    }
    function kill(pid, sig) {
      addon.kill(checkInt("pid", pid), signalNumber(sig));
    }
    function killpg(pgrp, sig) {
      addon.killpg(checkInt("pgrp", pgrp), signalNumber(sig));
    }
    function getrlimit(resource) {
      const [soft, hard] = addon.getrlimit(checkResource(resource));
      return { soft, hard };
    }
    function setrlimit(resource, soft, hard) {
      addon.setrlimit(checkResource(resource), checkLimit(soft), checkLimit(hard));
    }
    function setuid(uid) {
      addon.setuid(checkId("uid", uid));
    }
    function setgid(gid) {
      addon.setgid(checkId("gid", gid));
    }
    function setgroups(gids) {
      addon.setgroups(gids.map((g) => checkId("gid", g)));
    }
    function initgroups(user, gid) {
      addon.initgroups(checkPath(user), checkId("gid", gid));
    }
    function chroot(dir) {
      addon.chroot(checkPath(dir));
    }
    function nice(inc) {
      return addon.nice(checkInt("inc", inc));
    }
    exports2.PRIO = Object.freeze({ PROCESS: 0, PGRP: 1, USER: 2 });
    function getpriority(which, who) {
      return addon.getpriority(checkInt("which", which), checkInt("who", who));
    }
    function setpriority(which, who, prio) {
      addon.setpriority(checkInt("which", which), checkInt("who", who), checkInt("prio", prio));
    }
    function setsid() {
      return addon.setsid();
    }
    function setpgid(pid, pgid) {
      addon.setpgid(checkInt("pid", pid), checkInt("pgid", pgid));
    }
    function getpgid(pid) {
      return addon.getpgid(checkInt("pid", pid));
    }
    function setChildSubreaper(on = true) {
      addon.setChildSubreaper(on);
    }
    function pidfdOpen(pid) {
      return addon.pidfdOpen(checkInt("pid", pid));
    }
    function watchPidfd(pidfd, cb) {
      if (typeof cb !== "function")
        throw new TypeError("watchPidfd: callback must be a function");
      addon.watchPidfd(checkFd(pidfd), cb);
    }
    function notifySocketOpen(name, onMessage) {
      if (typeof name !== "string" || name.length === 0 || name.includes("\0"))
        throw new TypeError("notifySocketOpen: name must be a non-empty string");
      return addon.notifySocketOpen(name, onMessage);
    }
    function notifySocketClose(fd) {
      addon.notifySocketClose(checkFd(fd));
    }
    function procStat(pid) {
      const r = addon.procStat(checkInt("pid", pid));
      return r ? { ppid: r[0], startTicks: r[1], zombie: r[2] } : null;
    }
    function pipe(opts = {}) {
      return addon.pipe(opts.nonblockRead === true, opts.nonblockWrite === true);
    }
    function dup(fd) {
      return addon.dup(checkFd(fd));
    }
    function setNonblock(fd, on) {
      addon.setNonblock(checkFd(fd), on);
    }
    function setCloexec(fd, on) {
      addon.setCloexec(checkFd(fd), on);
    }
    function getpwnam(name) {
      return addon.getpwnam(checkPath(name));
    }
    function getgrnam(name) {
      return addon.getgrnam(checkPath(name));
    }
    function getgrouplist(user, gid) {
      return addon.getgrouplist(checkPath(user), checkId("gid", gid));
    }
    function execInPlace(file, argv, opts = {}) {
      const args = [...argv];
      for (const a of args)
        if (typeof a !== "string" || a.includes("\0"))
          throw new TypeError("execInPlace: argv entries must be strings without NUL");
      const nofile = opts.nofile === void 0 ? exports2.originalNofile : opts.nofile;
      if (nofile !== null) {
        const { soft, hard } = getrlimit("NOFILE");
        const want = Math.min(nofile, hard);
        if (soft !== want)
          setrlimit("NOFILE", want, hard);
      }
      return addon.execInPlace(checkPath(file), args, envList(opts.env ?? process.env), opts.searchPath ?? null);
    }
  }
});

// dist/supervise/handover.js
var require_handover = __commonJS({
  "dist/supervise/handover.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.fileKey = fileKey;
    exports2.cameFromReexec = cameFromReexec;
    exports2.take = take;
    exports2.closeUntaken = closeUntaken;
    exports2.keep = keep;
    exports2.forgetKept = forgetKept;
    exports2.closeKept = closeKept;
    exports2.prepareExec = prepareExec;
    exports2.abortExec = abortExec;
    var node_fs_12 = require("node:fs");
    var native_12 = require_native();
    var ENV = "RUNITD_HANDOVER";
    function fileKey(st, role) {
      return `${st.dev}:${st.ino}:${role}`;
    }
    var held = /* @__PURE__ */ new Map();
    var given = /* @__PURE__ */ new Map();
    {
      const text = process.env[ENV];
      delete process.env[ENV];
      if (text) {
        try {
          for (const [k, fd] of Object.entries(JSON.parse(text)))
            if (Number.isInteger(fd) && fd > 2)
              given.set(k, fd);
        } catch {
        }
        for (const [k, fd] of [...given]) {
          try {
            (0, native_12.setCloexec)(fd, true);
          } catch {
            given.delete(k);
          }
        }
      }
    }
    function cameFromReexec() {
      return given.size > 0;
    }
    function take(key) {
      const fd = given.get(key);
      if (fd !== void 0)
        given.delete(key);
      return fd;
    }
    function closeUntaken() {
      for (const fd of given.values()) {
        try {
          (0, node_fs_12.closeSync)(fd);
        } catch {
        }
      }
      given.clear();
    }
    function keep(key, fd) {
      held.set(key, fd);
    }
    function forgetKept(fd) {
      for (const [k, v] of held)
        if (v === fd)
          held.delete(k);
    }
    function closeKept(fd) {
      for (const [k, v] of held)
        if (v === fd)
          held.delete(k);
      (0, node_fs_12.closeSync)(fd);
    }
    function prepareExec() {
      const out = {};
      for (const [k, fd] of held) {
        try {
          (0, native_12.setCloexec)(fd, false);
          out[k] = fd;
        } catch {
        }
      }
      return [ENV, JSON.stringify(out)];
    }
    function abortExec() {
      for (const fd of held.values()) {
        try {
          (0, native_12.setCloexec)(fd, true);
        } catch {
        }
      }
    }
  }
});

// dist/errstr.js
var require_errstr = __commonJS({
  "dist/errstr.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.errnoText = errnoText;
    exports2.errorText = errorText;
    exports2.errorCode = errorCode;
    var node_os_1 = require("node:os");
    var TEXT = {
      EPERM: "permission denied",
      ENOENT: "file does not exist",
      ESRCH: "no such process",
      EINTR: "interrupted system call",
      EIO: "input/output error",
      ENXIO: "device not configured",
      E2BIG: "argument list too long",
      ENOEXEC: "exec format error",
      EBADF: "file descriptor not open",
      ECHILD: "no child processes",
      EAGAIN: "temporary failure",
      ENOMEM: "out of memory",
      EACCES: "access denied",
      EFAULT: "bad address",
      ENOTBLK: "not a block device",
      EBUSY: "device busy",
      EEXIST: "file already exists",
      EXDEV: "cross-device link",
      ENODEV: "device does not support operation",
      ENOTDIR: "not a directory",
      EISDIR: "is a directory",
      EINVAL: "invalid argument",
      ENFILE: "system cannot open more files",
      EMFILE: "process cannot open more files",
      ENOTTY: "not a tty",
      ETXTBSY: "text busy",
      EFBIG: "file too big",
      ENOSPC: "out of disk space",
      ESPIPE: "unseekable descriptor",
      EROFS: "read-only file system",
      EMLINK: "too many links",
      EPIPE: "broken pipe",
      EDOM: "input out of range",
      ERANGE: "output out of range",
      EDEADLK: "operation would cause deadlock",
      ENAMETOOLONG: "file name too long",
      ENOLCK: "no locks available",
      ENOSYS: "system call not available",
      ENOTEMPTY: "directory not empty",
      ELOOP: "symbolic link loop",
      ENOMSG: "no message of desired type",
      EIDRM: "identifier removed",
      ENOSTR: "not a stream device",
      ETIME: "timer expired",
      ENOSR: "out of stream resources",
      ENONET: "machine not on network",
      EREMOTE: "too many levels of remote in path",
      ENOLINK: "link severed",
      EADV: "advertise error",
      ESRMNT: "srmount error",
      ECOMM: "communication error",
      EPROTO: "protocol error",
      EMULTIHOP: "multihop attempted",
      EBADMSG: "bad message type",
      EREMCHG: "remote address changed",
      EUSERS: "too many users",
      ENOTSOCK: "not a socket",
      EDESTADDRREQ: "destination address required",
      EMSGSIZE: "message too long",
      EPROTOTYPE: "incorrect protocol type",
      ENOPROTOOPT: "protocol not available",
      EPROTONOSUPPORT: "protocol not supported",
      ESOCKTNOSUPPORT: "socket type not supported",
      EOPNOTSUPP: "operation not supported",
      EPFNOSUPPORT: "protocol family not supported",
      EAFNOSUPPORT: "address family not supported",
      EADDRINUSE: "address already used",
      EADDRNOTAVAIL: "address not available",
      ENETDOWN: "network down",
      ENETUNREACH: "network unreachable",
      ENETRESET: "network reset",
      ECONNABORTED: "connection aborted",
      ECONNRESET: "connection reset",
      ENOBUFS: "out of buffer space",
      EISCONN: "already connected",
      ENOTCONN: "not connected",
      ESHUTDOWN: "socket shut down",
      ETOOMANYREFS: "too many references",
      ETIMEDOUT: "timed out",
      ECONNREFUSED: "connection refused",
      EHOSTDOWN: "host down",
      EHOSTUNREACH: "host unreachable",
      EALREADY: "operation already in progress",
      EINPROGRESS: "operation in progress",
      ESTALE: "stale NFS file handle",
      EDQUOT: "disk quota exceeded"
    };
    TEXT.EWOULDBLOCK = TEXT.EAGAIN;
    var NAME_BY_ERRNO = /* @__PURE__ */ new Map();
    for (const [name, num] of Object.entries(node_os_1.constants.errno))
      if (!NAME_BY_ERRNO.has(num))
        NAME_BY_ERRNO.set(num, name);
    function errnoText(errno) {
      if (errno === 0)
        return "no error";
      const name = typeof errno === "number" ? NAME_BY_ERRNO.get(Math.abs(errno)) : errno;
      return name !== void 0 && TEXT[name] || "unknown error";
    }
    function errorText(err) {
      const e = err;
      if (e && typeof e.code === "string" && TEXT[e.code])
        return TEXT[e.code];
      if (e && typeof e.errno === "number")
        return errnoText(e.errno);
      return "unknown error";
    }
    function errorCode(err) {
      const code = err?.code;
      return typeof code === "string" ? code : void 0;
    }
  }
});

// dist/tai64.js
var require_tai64 = __commonJS({
  "dist/tai64.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.taiNow = taiNow;
    exports2.fromMicros = fromMicros;
    exports2.encodeTai64n = encodeTai64n;
    exports2.decodeTai64n = decodeTai64n;
    exports2.formatLabel = formatLabel;
    exports2.parseLabel = parseLabel;
    var TAI_BASE = 0x4000000000000000n + 10n;
    function taiNow() {
      return fromMicros(Math.floor((performance.timeOrigin + performance.now()) * 1e3));
    }
    function fromMicros(us) {
      const sec = Math.floor(us / 1e6);
      return { sec, nsec: (us - sec * 1e6) * 1e3 + 500 };
    }
    function encodeTai64n(t, out = Buffer.alloc(12), offset = 0) {
      out.writeBigUInt64BE(TAI_BASE + BigInt(t.sec), offset);
      out.writeUInt32BE(t.nsec >>> 0, offset + 8);
      return out;
    }
    function decodeTai64n(buf, offset = 0) {
      const sec = Number(buf.readBigUInt64BE(offset) - TAI_BASE);
      return { sec, nsec: buf.readUInt32BE(offset + 8) };
    }
    function formatLabel(t) {
      return "@" + encodeTai64n(t).toString("hex");
    }
    var LABEL_RE = /^@([0-9a-fA-F]{24})/;
    function parseLabel(s) {
      const m = LABEL_RE.exec(s);
      if (!m)
        return null;
      return decodeTai64n(Buffer.from(m[1], "hex"));
    }
  }
});

// dist/supervise/status.js
var require_status = __commonJS({
  "dist/supervise/status.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.SUPERVISE_FILES = exports2.STATE_FINISH = exports2.STATE_RUN = exports2.STATE_DOWN = exports2.STATUS_OFFSET = exports2.STATUS_SIZE = void 0;
    exports2.encodeStatus = encodeStatus;
    exports2.decodeStatus = decodeStatus;
    exports2.statusTaiSeconds = statusTaiSeconds;
    var tai64_12 = require_tai64();
    exports2.STATUS_SIZE = 20;
    exports2.STATUS_OFFSET = {
      time: 0,
      pid: 12,
      paused: 16,
      want: 17,
      termSent: 18,
      state: 19
    };
    exports2.STATE_DOWN = 0;
    exports2.STATE_RUN = 1;
    exports2.STATE_FINISH = 2;
    exports2.SUPERVISE_FILES = {
      dir: "supervise",
      status: "status",
      statusNew: "status.new",
      control: "control",
      ok: "ok",
      lock: "lock",
      stat: "stat",
      statNew: "stat.new",
      pid: "pid",
      pidNew: "pid.new",
      // ours, not runit's: what lets a restarted daemon adopt what runs
      /** `PID STARTTICKS STATE\n`: the process the status names, as /proc knows it */
      pidstart: "pidstart",
      pidstartNew: "pidstart.new",
      /** the FIFO between the service and its log service (in the service's supervise/) */
      logpipe: "logpipe"
    };
    function encodeStatus(rec, out = Buffer.alloc(exports2.STATUS_SIZE)) {
      (0, tai64_12.encodeTai64n)(rec.time, out, exports2.STATUS_OFFSET.time);
      out.writeUInt32LE(rec.pid >>> 0, exports2.STATUS_OFFSET.pid);
      out[exports2.STATUS_OFFSET.paused] = rec.paused ? 1 : 0;
      out[exports2.STATUS_OFFSET.want] = rec.want === "u" ? 117 : 100;
      out[exports2.STATUS_OFFSET.termSent] = rec.termSent ? 1 : 0;
      out[exports2.STATUS_OFFSET.state] = rec.state;
      return out;
    }
    function decodeStatus(buf) {
      if (buf.length < exports2.STATUS_SIZE)
        throw new RangeError(`status record needs ${exports2.STATUS_SIZE} bytes, got ${buf.length}`);
      return {
        time: (0, tai64_12.decodeTai64n)(buf, exports2.STATUS_OFFSET.time),
        pid: buf.readUInt32LE(exports2.STATUS_OFFSET.pid),
        paused: buf[exports2.STATUS_OFFSET.paused] !== 0,
        want: buf[exports2.STATUS_OFFSET.want] === 117 ? "u" : "d",
        termSent: buf[exports2.STATUS_OFFSET.termSent] !== 0,
        state: buf[exports2.STATUS_OFFSET.state]
      };
    }
    function statusTaiSeconds(buf) {
      return buf.readBigUInt64BE(exports2.STATUS_OFFSET.time);
    }
  }
});

// dist/supervise/publish.js
var require_publish = __commonJS({
  "dist/supervise/publish.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.StatusWriter = void 0;
    exports2.statLine = statLine;
    exports2.pidstartLine = pidstartLine;
    exports2.parsePidstart = parsePidstart;
    exports2.readPublished = readPublished;
    exports2.markCleanEnd = markCleanEnd;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var status_1 = require_status();
    var TRUNC = node_fs_12.constants.O_WRONLY | node_fs_12.constants.O_NONBLOCK | node_fs_12.constants.O_TRUNC | node_fs_12.constants.O_CREAT;
    function statLine(s) {
      let line = s.state === status_1.STATE_RUN ? "run" : s.state === status_1.STATE_FINISH ? "finish" : "down";
      if (s.paused)
        line += ", paused";
      if (s.termSent)
        line += ", got TERM";
      if (s.state !== status_1.STATE_DOWN) {
        if (s.want === "down")
          line += ", want down";
        else if (s.want === "exit")
          line += ", want exit";
      }
      return line + "\n";
    }
    function pidstartLine(s, filePid) {
      if (filePid <= 0 || s.startTicks === void 0 || s.state === status_1.STATE_DOWN)
        return "";
      return `${filePid} ${s.startTicks} ${s.state === status_1.STATE_FINISH ? "finish" : "run"}
`;
    }
    function parsePidstart(text) {
      const m = /^(\d+) (\d+) (run|finish)\n$/.exec(text);
      if (!m)
        return null;
      return { pid: Number(m[1]), startTicks: Number(m[2]), state: m[3] === "finish" ? status_1.STATE_FINISH : status_1.STATE_RUN };
    }
    async function readPublished(dir) {
      const [ps, st] = await Promise.all([
        node_fs_12.promises.readFile(path2.join(dir, status_1.SUPERVISE_FILES.pidstart), "latin1").catch(() => null),
        node_fs_12.promises.readFile(path2.join(dir, status_1.SUPERVISE_FILES.status)).catch(() => Buffer.alloc(0))
      ]);
      return { pidstart: parsePidstart(ps ?? ""), pidstartExists: ps !== null, status: st.length === status_1.STATUS_SIZE ? (0, status_1.decodeStatus)(st) : null };
    }
    async function markCleanEnd(dir) {
      await node_fs_12.promises.unlink(path2.join(dir, status_1.SUPERVISE_FILES.pidstart)).catch(() => void 0);
    }
    var StatusWriter = class {
      dir;
      label;
      warn;
      lastPid;
      latest;
      busy;
      /**
       * @param dir the supervise folder (a symlink is fine: the OS follows it)
       * @param label how messages name it: 'supervise' or 'log/supervise'
       * @param warn receives runsv's warning texts (without the `runsv DIR: warning: ` prefix)
       * @param pidFileAtStart write the (empty) pid file with the first status: runsv
       *   does for the main service; the log's appears only once a logger started
       */
      constructor(dir, label, warn, pidFileAtStart = true) {
        this.dir = dir;
        this.label = label;
        this.warn = warn;
        this.lastPid = pidFileAtStart ? -1 : 0;
      }
      /** Queues the state for writing; returns at once. */
      publish(view) {
        this.latest = { ...view, pid: Math.max(0, view.pid) };
        if (!this.busy)
          this.busy = this.flush();
      }
      /** Resolves once everything published so far is on disk. */
      async settled() {
        while (this.busy)
          await this.busy;
      }
      async flush() {
        try {
          while (this.latest) {
            const s = this.latest;
            this.latest = void 0;
            await this.write(s);
          }
        } finally {
          this.busy = void 0;
        }
      }
      async write(s) {
        if (s.pid !== this.lastPid) {
          const filePid = s.pidFile ?? s.pid;
          const line = pidstartLine(s, filePid);
          if (line)
            await this.replace(status_1.SUPERVISE_FILES.pidstartNew, status_1.SUPERVISE_FILES.pidstart, line, false);
          if (!await this.replace(status_1.SUPERVISE_FILES.pidNew, status_1.SUPERVISE_FILES.pid, filePid > 0 ? `${filePid}
` : "", false))
            return;
          this.lastPid = s.pid;
        }
        if (!await this.replace(status_1.SUPERVISE_FILES.statNew, status_1.SUPERVISE_FILES.stat, statLine(s), false))
          return;
        const record = (0, status_1.encodeStatus)({ ...s, want: s.want === "up" ? "u" : "d" });
        await this.replace(status_1.SUPERVISE_FILES.statusNew, status_1.SUPERVISE_FILES.status, record, true);
      }
      /** Returns false when the rest of this update must be skipped (runsv's rule). */
      async replace(tmpName, name, data, checked) {
        const tmp = path2.join(this.dir, tmpName);
        const bytes = typeof data === "string" ? Buffer.from(data) : data;
        let fh;
        try {
          fh = await node_fs_12.promises.open(tmp, TRUNC, 420);
        } catch (err) {
          this.warn(`unable to open ${this.label}/${tmpName}: ${(0, errstr_1.errorText)(err)}`);
          return false;
        }
        let written = -1;
        let failure;
        try {
          written = (await fh.write(bytes)).bytesWritten;
        } catch (err) {
          failure = err;
        } finally {
          await fh.close().catch(() => void 0);
        }
        if (checked && failure !== void 0) {
          this.warn(`unable to write ${this.label}/${tmpName}: ${(0, errstr_1.errorText)(failure)}`);
          await node_fs_12.promises.unlink(tmp).catch(() => void 0);
          return true;
        }
        if (checked && written !== bytes.length) {
          this.warn(`unable to write ${this.label}/${tmpName}: partial write.`);
          return true;
        }
        try {
          await node_fs_12.promises.rename(tmp, path2.join(this.dir, name));
        } catch (err) {
          this.warn(`unable to rename ${tmpName} to ${this.label}/${name}: ${(0, errstr_1.errorText)(err)}`);
        }
        return true;
      }
    };
    exports2.StatusWriter = StatusWriter;
  }
});

// dist/supervise/setup.js
var require_setup = __commonJS({
  "dist/supervise/setup.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.SetupError = void 0;
    exports2.ensureSuperviseDir = ensureSuperviseDir;
    exports2.openLock = openLock;
    exports2.openControl = openControl;
    exports2.openOk = openOk;
    exports2.openLogPipe = openLogPipe;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var native_12 = require_native();
    var handover_12 = require_handover();
    var status_1 = require_status();
    var SetupError = class extends Error {
    };
    exports2.SetupError = SetupError;
    var { O_RDONLY, O_WRONLY, O_NONBLOCK, O_APPEND, O_CREAT } = node_fs_12.constants;
    async function ensureSuperviseDir(base, label) {
      const sup = path2.join(base, status_1.SUPERVISE_FILES.dir);
      try {
        await node_fs_12.promises.mkdir(sup, 448);
        return sup;
      } catch {
      }
      let target;
      try {
        target = await node_fs_12.promises.readlink(sup);
      } catch (err) {
        const code = err.code;
        if (code === "ENOENT" || code === "EINVAL")
          return sup;
        throw new SetupError(`unable to readlink ${label}: ${(0, errstr_1.errorText)(err)}`);
      }
      if (Buffer.byteLength(target) >= 256)
        throw new SetupError(`unable to readlink ${label}: name too long`);
      try {
        await node_fs_12.promises.mkdir(target.startsWith("/") ? target : `${base}/${target}`, 448);
      } catch {
      }
      return sup;
    }
    async function openLock(sup, label) {
      const lockPath = path2.join(sup, status_1.SUPERVISE_FILES.lock);
      const handed = await takeHanded(lockPath, "lock");
      if (handed !== void 0)
        return handed;
      let fd;
      try {
        fd = await openFd(lockPath, O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT, 384);
      } catch (err) {
        throw new SetupError(`unable to open ${label}/lock: ${(0, errstr_1.errorText)(err)}`);
      }
      try {
        (0, native_12.flock)(fd, "ex", true);
      } catch (err) {
        (0, node_fs_12.closeSync)(fd);
        const e = new SetupError(`unable to lock ${label}/lock: ${(0, errstr_1.errorText)(err)}`);
        e.code = err.code;
        throw e;
      }
      keepFd(fd, "lock");
      return fd;
    }
    async function openControl(sup, label) {
      const p = path2.join(sup, status_1.SUPERVISE_FILES.control);
      try {
        (0, native_12.mkfifo)(p, 384);
      } catch {
      }
      let isFifo;
      try {
        isFifo = (await node_fs_12.promises.stat(p)).isFIFO();
      } catch (err) {
        throw new SetupError(`unable to stat ${label}/control: ${(0, errstr_1.errorText)(err)}`);
      }
      if (!isFifo)
        throw new SetupError(`${label}/control exists but is not a fifo`);
      try {
        return await fifoEnds(p, ["control-r", "control-w"], O_WRONLY | O_NONBLOCK, 0);
      } catch (err) {
        throw new SetupError(`unable to open ${label}/control: ${(0, errstr_1.errorText)(err)}`);
      }
    }
    async function openOk(sup, label) {
      const p = path2.join(sup, status_1.SUPERVISE_FILES.ok);
      try {
        (0, native_12.mkfifo)(p, 384);
      } catch {
      }
      const handed = await takeHanded(p, "ok");
      if (handed !== void 0)
        return handed;
      let fd;
      try {
        fd = await openFd(p, O_RDONLY | O_NONBLOCK);
      } catch (err) {
        throw new SetupError(`unable to read ${label}/ok: ${(0, errstr_1.errorText)(err)}`);
      }
      keepFd(fd, "ok");
      return fd;
    }
    async function openLogPipe(sup, label) {
      const p = path2.join(sup, status_1.SUPERVISE_FILES.logpipe);
      try {
        const st = await node_fs_12.promises.lstat(p);
        if (!st.isFIFO())
          await node_fs_12.promises.unlink(p);
      } catch {
      }
      try {
        (0, native_12.mkfifo)(p, 384);
      } catch {
      }
      try {
        return await fifoEnds(p, ["logpipe-r", "logpipe-w"], node_fs_12.constants.O_RDWR, node_fs_12.constants.O_NOFOLLOW);
      } catch (err) {
        throw new SetupError(`unable to create log pipe: ${label}/${status_1.SUPERVISE_FILES.logpipe}: ${(0, errstr_1.errorText)(err)}`);
      }
    }
    async function fifoEnds(p, roles, writeFlags, extraFlags) {
      const handedRead = await takeHanded(p, roles[0]);
      const handedWrite = await takeHanded(p, roles[1]);
      if (handedRead !== void 0 && handedWrite !== void 0)
        return { read: handedRead, write: handedWrite };
      for (const fd of [handedRead, handedWrite])
        if (fd !== void 0)
          (0, handover_12.closeKept)(fd);
      let read = -1;
      try {
        read = await openFd(p, O_RDONLY | O_NONBLOCK | extraFlags);
        const write = await openFd(p, writeFlags | extraFlags);
        if (!(0, node_fs_12.fstatSync)(read).isFIFO())
          throw Object.assign(new Error("not a fifo"), { code: "EINVAL" });
        keepFd(read, roles[0]);
        keepFd(write, roles[1]);
        return { read, write };
      } catch (err) {
        if (read >= 0)
          (0, node_fs_12.closeSync)(read);
        throw err;
      }
    }
    async function takeHanded(p, role) {
      let key;
      try {
        key = (0, handover_12.fileKey)(await node_fs_12.promises.stat(p), role);
      } catch {
        return void 0;
      }
      const fd = (0, handover_12.take)(key);
      if (fd !== void 0)
        (0, handover_12.keep)(key, fd);
      return fd;
    }
    function keepFd(fd, role) {
      (0, handover_12.keep)((0, handover_12.fileKey)((0, node_fs_12.fstatSync)(fd), role), fd);
    }
    function openFd(p, flags, mode = 438) {
      return new Promise((resolve, reject) => (0, node_fs_12.open)(p, flags, mode, (err, fd) => err ? reject(err) : resolve(fd)));
    }
  }
});

// dist/runsv/children.js
var require_children = __commonJS({
  "dist/runsv/children.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.ownChild = ownChild;
    exports2.beginTakeover = beginTakeover;
    exports2.hasUnclaimedExit = hasUnclaimedExit;
    exports2.freezeExits = freezeExits;
    exports2.thawExits = thawExits;
    exports2.endTakeover = endTakeover;
    var native_12 = require_native();
    var owners = /* @__PURE__ */ new Map();
    var listening = false;
    var unclaimed = null;
    var frozen = null;
    function listen() {
      if (listening)
        return;
      (0, native_12.onExit)((exit) => {
        if (frozen) {
          frozen.push(exit);
          return;
        }
        const h = owners.get(exit.pid);
        if (h) {
          owners.delete(exit.pid);
          h(exit);
        } else
          unclaimed?.set(exit.pid, exit);
      });
      listening = true;
    }
    function ownChild(pid, handler) {
      listen();
      const early = unclaimed?.get(pid);
      if (early) {
        unclaimed.delete(pid);
        setImmediate(() => handler(early));
        return;
      }
      owners.set(pid, handler);
    }
    function beginTakeover(handed = []) {
      unclaimed = new Map(handed.map((e) => [e.pid, e]));
      listen();
    }
    function hasUnclaimedExit(pid) {
      return unclaimed?.has(pid) ?? false;
    }
    function freezeExits() {
      listen();
      frozen ??= [];
      return frozen;
    }
    function thawExits() {
      const pending = frozen ?? [];
      frozen = null;
      for (const exit of pending) {
        const h = owners.get(exit.pid);
        if (h) {
          owners.delete(exit.pid);
          h(exit);
        }
      }
    }
    function endTakeover() {
      unclaimed = null;
    }
  }
});

// dist/runsv/machine.js
var require_machine = __commonJS({
  "dist/runsv/machine.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.UNKNOWN_WSTAT = exports2.FINISH = exports2.RUN = exports2.DOWN = void 0;
    exports2.newSlot = newSlot;
    exports2.isCommand = isCommand;
    exports2.onControl = onControl;
    exports2.onReaped = onReaped;
    exports2.dueToStart = dueToStart;
    exports2.finishArgs = finishArgs;
    exports2.DOWN = 0;
    exports2.RUN = 1;
    exports2.FINISH = 2;
    exports2.UNKNOWN_WSTAT = -1;
    function newSlot(isLog, want, now, nowMs) {
      return { isLog, state: exports2.DOWN, want, paused: false, termSent: false, pid: 0, time: now, startedMs: nowMs, wstat: 0, throttleUntil: 0, startRequested: false };
    }
    var SIGNAL_OF = {
      h: "SIGHUP",
      a: "SIGALRM",
      i: "SIGINT",
      q: "SIGQUIT",
      "1": "SIGUSR1",
      "2": "SIGUSR2"
    };
    function isCommand(byte, isLog) {
      return "udoxtkpchaiq12".includes(byte) && !(isLog && byte === "x");
    }
    function onControl(s, c) {
      const running = s.state === exports2.RUN;
      const publish = { do: "publish" };
      switch (c) {
        case "u":
          s.want = "up";
          return s.state === exports2.DOWN ? [publish, { do: "start" }] : [publish];
        case "o":
          s.want = "down";
          return s.state === exports2.DOWN ? [publish, { do: "start" }] : [publish];
        case "d":
          s.want = "down";
          s.startRequested = false;
          return running ? [publish, { do: "stop" }] : [publish];
        case "x":
          if (s.isLog)
            return [];
          s.want = "exit";
          s.startRequested = false;
          return running ? [publish, { do: "stop" }] : [publish];
        case "t":
          return running ? [{ do: "stop" }] : [];
        case "k": {
          const steps = running && s.pid ? [{ do: "signal", sig: "SIGKILL", letter: "k" }] : [];
          s.state = exports2.DOWN;
          return steps;
        }
        case "p":
          s.paused = true;
          return running && s.pid ? [{ do: "signal", sig: "SIGSTOP", letter: "p" }, publish] : [publish];
        case "c":
          s.paused = false;
          return running && s.pid ? [{ do: "signal", sig: "SIGCONT", letter: "c" }, publish] : [publish];
        default: {
          const sig = SIGNAL_OF[c];
          return sig && running && s.pid ? [{ do: "signal", sig, letter: c }] : [];
        }
      }
    }
    function onReaped(s, status, finishUsable, now, nowMs) {
      s.pid = 0;
      s.termSent = false;
      if (!s.isLog)
        s.wstat = status;
      if (!s.isLog && s.state !== exports2.FINISH && finishUsable) {
        s.state = exports2.FINISH;
        return [{ do: "publish" }];
      }
      s.state = exports2.DOWN;
      s.time = now;
      if (nowMs < s.startedMs + 1e3)
        s.throttleUntil = nowMs + 1e3;
      return [{ do: "publish" }];
    }
    function dueToStart(s, nowMs) {
      if (s.pid !== 0 || nowMs < s.throttleUntil)
        return false;
      if (s.isLog)
        return s.want === "up";
      return s.want === "up" || s.state === exports2.FINISH || s.startRequested;
    }
    function finishArgs(wstat) {
      if (wstat === exports2.UNKNOWN_WSTAT)
        return ["-1", "0"];
      if ((wstat & 127) !== 0)
        return ["-1", String(wstat & 255)];
      return [String(wstat >> 8), "0"];
    }
  }
});

// dist/runsv/adopt.js
var require_adopt = __commonJS({
  "dist/runsv/adopt.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.findPrevious = findPrevious;
    exports2.watchAdopted = watchAdopted;
    var node_fs_12 = require("node:fs");
    var native_12 = require_native();
    var publish_1 = require_publish();
    var children_1 = require_children();
    var machine_1 = require_machine();
    async function findPrevious(superviseDir) {
      const { pidstart, pidstartExists, status } = await (0, publish_1.readPublished)(superviseDir);
      const wanted = pidstartExists && status && status.time.sec >= await bootTime() ? status : null;
      return { process: adoptable(pidstart, status), wanted };
    }
    function adoptable(pidstart, status) {
      if (!pidstart || pidstart.pid === process.pid)
        return null;
      const ended = (0, children_1.hasUnclaimedExit)(pidstart.pid);
      const now = (0, native_12.procStat)(pidstart.pid);
      if (!ended) {
        if (!now || now.startTicks !== pidstart.startTicks)
          return null;
        if (now.zombie && now.ppid !== process.pid)
          return null;
      }
      return { ...pidstart, status: status && status.pid === pidstart.pid ? status : null };
    }
    var boot;
    function bootTime() {
      boot ??= node_fs_12.promises.readFile("/proc/stat", "latin1").then((text) => Number(/^btime (\d+)$/m.exec(text)?.[1] ?? 0), () => 0);
      return boot;
    }
    function watchAdopted(a, onEnd) {
      const unknown = () => onEnd({ pid: a.pid, code: null, signal: null, status: machine_1.UNKNOWN_WSTAT });
      if ((0, children_1.hasUnclaimedExit)(a.pid) || (0, native_12.procStat)(a.pid)?.ppid === process.pid) {
        (0, children_1.ownChild)(a.pid, onEnd);
        return;
      }
      let fd;
      try {
        fd = (0, native_12.pidfdOpen)(a.pid);
      } catch {
        setImmediate(unknown);
        return;
      }
      if ((0, native_12.procStat)(a.pid)?.startTicks !== a.startTicks) {
        (0, node_fs_12.closeSync)(fd);
        setImmediate(unknown);
        return;
      }
      (0, native_12.watchPidfd)(fd, () => {
        (0, node_fs_12.closeSync)(fd);
        unknown();
      });
    }
  }
});

// dist/supervise/lifecycle-record.js
var require_lifecycle_record = __commonJS({
  "dist/supervise/lifecycle-record.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.LifecycleWriter = exports2.LIFECYCLE_FILE = void 0;
    exports2.readLifecycleRecord = readLifecycleRecord;
    exports2.loadLifecycleRecord = loadLifecycleRecord;
    exports2.removeLifecycleRecord = removeLifecycleRecord;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    exports2.LIFECYCLE_FILE = "lifecycle";
    var LifecycleWriter = class {
      superviseDir;
      warn;
      pending = null;
      running = null;
      constructor(superviseDir, warn) {
        this.superviseDir = superviseDir;
        this.warn = warn;
      }
      write(rec) {
        this.pending = { ...rec };
        if (!this.running)
          this.running = this.loop();
      }
      /** Resolves once everything asked so far is on disk (or failed). */
      settled() {
        return this.running ?? Promise.resolve();
      }
      async loop() {
        while (this.pending) {
          const rec = this.pending;
          this.pending = null;
          const file = path2.join(this.superviseDir, exports2.LIFECYCLE_FILE);
          try {
            await node_fs_12.promises.writeFile(file + ".new", JSON.stringify(rec) + "\n", { mode: 420 });
            await node_fs_12.promises.rename(file + ".new", file);
          } catch (err) {
            this.warn(`unable to write supervise/${exports2.LIFECYCLE_FILE}: ${err.code ?? String(err)}`);
          }
        }
        this.running = null;
      }
    };
    exports2.LifecycleWriter = LifecycleWriter;
    function readLifecycleRecord(superviseDir) {
      const file = path2.join(superviseDir, exports2.LIFECYCLE_FILE);
      try {
        if ((0, node_fs_12.statSync)(file, { throwIfNoEntry: false }) === void 0)
          return null;
        return parseLifecycleRecord((0, node_fs_12.readFileSync)(file, "utf8"));
      } catch {
        return null;
      }
    }
    async function loadLifecycleRecord(superviseDir) {
      try {
        return parseLifecycleRecord(await node_fs_12.promises.readFile(path2.join(superviseDir, exports2.LIFECYCLE_FILE), "utf8"));
      } catch {
        return null;
      }
    }
    function parseLifecycleRecord(text) {
      try {
        const rec = JSON.parse(text);
        if (typeof rec !== "object" || rec === null || typeof rec.pid !== "number")
          return null;
        return {
          pid: rec.pid,
          method: rec.method === "notification-fd" || rec.method === "notify-socket" ? rec.method : null,
          ready: rec.ready === true,
          readySince: typeof rec.readySince === "number" ? rec.readySince : null,
          maintenance: rec.maintenance === true,
          maintenanceReason: typeof rec.maintenanceReason === "string" ? rec.maintenanceReason : null
        };
      } catch {
        return null;
      }
    }
    async function removeLifecycleRecord(superviseDir) {
      await node_fs_12.promises.unlink(path2.join(superviseDir, exports2.LIFECYCLE_FILE)).catch(() => void 0);
    }
  }
});

// dist/runsv/control-scripts.js
var require_control_scripts = __commonJS({
  "dist/runsv/control-scripts.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.runControlScript = runControlScript;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var native_12 = require_native();
    var CONTROL_SIGMASK = ["SIGTERM", "SIGCHLD"];
    async function runControlScript(ctx, letter) {
      const rel = `control/${letter}`;
      let mode;
      try {
        mode = (await node_fs_12.promises.stat(path2.join(ctx.base, rel))).mode;
      } catch (err) {
        if (err.code !== "ENOENT")
          ctx.warn(`unable to stat ${rel}: ${(0, errstr_1.errorText)(err)}`);
        return false;
      }
      if (!(mode & node_fs_12.constants.S_IXUSR))
        return false;
      let pid;
      try {
        pid = (0, native_12.spawn)({
          file: rel,
          argv: [rel],
          cwd: ctx.base,
          env: ctx.env,
          setsid: ctx.setsid,
          stdio: ["inherit", ctx.stdout, ctx.stderr],
          sigmask: CONTROL_SIGMASK
        });
      } catch (err) {
        if (err.syscall === "execve")
          ctx.fatal(`unable to run control/?: ${(0, errstr_1.errorText)(err)}`);
        else
          ctx.warn(`unable to setup stdout for ${rel}: ${(0, errstr_1.errorText)(err)}`);
        return false;
      }
      const exit = await (0, native_12.waitExit)(pid);
      return exit.status >> 8 === 0;
    }
  }
});

// dist/svlogd/scan.js
var require_scan = __commonJS({
  "dist/svlogd/scan.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.scanUlong = scanUlong;
    exports2.scanIp4 = scanIp4;
    function scanUlong(s, from = 0) {
      let value = 0;
      let i = from;
      while (i < s.length) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57)
          break;
        value = Math.min(value * 10 + (c - 48), Number.MAX_SAFE_INTEGER);
        i++;
      }
      return { value, used: i - from };
    }
    function scanIp4(s, from = 0) {
      const parts = [];
      let i = from;
      for (let k = 0; k < 4; k++) {
        const { value, used } = scanUlong(s, i);
        if (used === 0)
          return null;
        parts.push(value & 255);
        i += used;
        if (k < 3) {
          if (s[i] !== ".")
            return null;
          i++;
        }
      }
      return { ip: parts.join("."), used: i - from };
    }
  }
});

// dist/svlogd/args.js
var require_args = __commonJS({
  "dist/svlogd/args.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.VERSION_ID = void 0;
    exports2.usageText = usageText;
    exports2.parseArgs = parseArgs2;
    var scan_1 = require_scan();
    exports2.VERSION_ID = "$Id: 5e55a90e0a1b35ec47fed3021453c50675ea1117 $";
    function usageText(argv02) {
      return `usage: ${argv02} [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...

`;
    }
    function parseArgs2(args, progName = "svlogd") {
      const opts = {};
      let timestamp = 0;
      let replaceChar = null;
      let replaceBytes = null;
      let lineMax = 1e3;
      let bufLen = 1024;
      const messages = [];
      let usage = false;
      let i = 0;
      outer: while (i < args.length) {
        const a = args[i];
        if (a.startsWith("--")) {
          i++;
          break;
        }
        if (a.length < 2 || a[0] !== "-")
          break;
        i++;
        for (let j = 1; j < a.length; j++) {
          const c = a[j];
          if (c === "R" || c === "r" || c === "l" || c === "b") {
            let val;
            if (j + 1 < a.length)
              val = a.slice(j + 1);
            else if (i < args.length)
              val = args[i++];
            else {
              messages.push(`${progName}: option requires an argument -- ${c}
`);
              return { ok: false, messages };
            }
            switch (c) {
              case "R":
                replaceBytes = val;
                if (replaceChar === null)
                  replaceChar = "_";
                break;
              case "r":
                if (Buffer.byteLength(val) !== 1)
                  usage = true;
                replaceChar = val;
                break;
              case "l":
                lineMax = (0, scan_1.scanUlong)(val).value || 1e3;
                break;
              case "b":
                bufLen = (0, scan_1.scanUlong)(val).value || 1024;
                break;
            }
            continue outer;
          }
          if (c === "t") {
            if (++timestamp > 3)
              timestamp = 3;
          } else if (c === "v") {
            opts.verbose = true;
          } else if (c === "V") {
            messages.push(`${exports2.VERSION_ID}
`);
            usage = true;
          } else {
            messages.push(`${progName}: illegal option -- ${c}
`);
            return { ok: false, messages };
          }
        }
      }
      const dirs = args.slice(i);
      if (usage || dirs.length === 0 || bufLen <= lineMax)
        return { ok: false, messages };
      opts.timestamp = timestamp;
      opts.lineMax = lineMax;
      opts.bufLen = bufLen;
      if (replaceChar !== null)
        opts.replaceChar = replaceChar;
      if (replaceBytes !== null)
        opts.replaceBytes = replaceBytes;
      return { ok: true, options: opts, dirs };
    }
  }
});

// dist/runsv/inline-log.js
var require_inline_log = __commonJS({
  "dist/runsv/inline-log.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.INLINE_RUN_MAX = exports2.INLINE_UNWRITTEN_MAX = void 0;
    exports2.parseInlineLog = parseInlineLog;
    exports2.inlineLogVerdict = inlineLogVerdict;
    var args_1 = require_args();
    var STDERR_TO_STDOUT = /^exec\s+2>&1$/;
    var MKDIR_P = /^mkdir\s+-p\s+/;
    exports2.INLINE_UNWRITTEN_MAX = 65536;
    exports2.INLINE_RUN_MAX = 4096;
    var SHEBANG = /^#!\s*\/bin\/sh(\s+-[a-z]+)?\s*$/;
    var SHELL_SPECIAL = /[$`'"\\|&;<>(){}*?[\]~=#]/;
    function parseInlineLog(script) {
      const v = inlineLogVerdict(script);
      return "plan" in v ? v.plan : null;
    }
    function inlineLogVerdict(script) {
      const lines = script.split("\n");
      if (!SHEBANG.test(lines[0] ?? ""))
        return { why: "its first line is not #!/bin/sh" };
      const commands = lines.slice(1).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
      const mkdirs = [];
      while (commands.length > 1) {
        const line = commands.shift();
        if (STDERR_TO_STDOUT.test(line))
          continue;
        if (!MKDIR_P.test(line))
          return { why: `a command other than "exec 2>&1" or "mkdir -p" before the exec: ${line}` };
        if (SHELL_SPECIAL.test(line))
          return { why: `shell syntax in: ${line}` };
        const dirs = line.replace(MKDIR_P, "").split(/\s+/);
        if (dirs.some((d) => d.startsWith("-")))
          return { why: `mkdir with options other than -p: ${line}` };
        mkdirs.push(...dirs);
      }
      if (commands.length !== 1)
        return { why: "no command" };
      if (SHELL_SPECIAL.test(commands[0]))
        return { why: `shell syntax (quotes, $, redirections, globs ...) in: ${commands[0]}` };
      const words = commands[0].split(/\s+/);
      if (words.shift() !== "exec")
        return { why: `the command is not an exec: ${commands[0]}` };
      let user;
      if (isProgram(words[0], "chpst")) {
        words.shift();
        const opt = words.shift();
        if (opt === "-u")
          user = words.shift();
        else if (opt !== void 0 && opt.startsWith("-u") && opt.length > 2)
          user = opt.slice(2);
        else
          return { why: "chpst with options other than -u user" };
        if (!user)
          return { why: "chpst -u without a user" };
      }
      const program = words.shift();
      if (!isProgram(program, "svlogd"))
        return { why: `it runs ${program ?? "nothing"}, not svlogd` };
      const parsed = (0, args_1.parseArgs)(words);
      if (!parsed.ok) {
        const said = parsed.messages.join("").trim();
        return { why: `svlogd would print its usage${said ? `: ${said}` : ""}` };
      }
      if (parsed.dirs.length === 0)
        return { why: "svlogd without a log folder" };
      return { plan: { options: { ...parsed.options, unwrittenMax: exports2.INLINE_UNWRITTEN_MAX }, dirs: parsed.dirs, user, mkdirs } };
    }
    function isProgram(word, name) {
      return word === name || word !== void 0 && word.endsWith(`/${name}`);
    }
  }
});

// dist/svlogd/input.js
var require_input = __commonJS({
  "dist/svlogd/input.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.openInput = openInput;
    var fs = __importStar2(require("node:fs"));
    var net = __importStar2(require("node:net"));
    var CHUNK = 65536;
    var SHARED_READ_BUFFER = Buffer.allocUnsafe(CHUNK);
    function readSize(max) {
      return Math.max(1, Math.min(CHUNK, Math.floor(max)));
    }
    var PollInput = class {
      fd;
      sock = null;
      paused = false;
      ended = false;
      buf;
      constructor(fd, max) {
        this.fd = fd;
        this.buf = SHARED_READ_BUFFER.subarray(0, readSize(max));
      }
      start(onData, onEnd) {
        const finish = (err) => {
          if (this.ended)
            return;
          this.ended = true;
          onEnd(err);
        };
        const opts = {
          fd: this.fd,
          readable: true,
          writable: false,
          allowHalfOpen: true,
          onread: {
            buffer: this.buf,
            callback: (n, buf) => {
              onData(buf, n);
              return !this.paused;
            }
          }
        };
        const sock = new net.Socket(opts);
        this.sock = sock;
        sock.on("end", () => finish());
        sock.on("error", (err) => finish(err));
        if (this.paused)
          sock.pause();
      }
      pause() {
        this.paused = true;
        this.sock?.pause();
      }
      resume() {
        this.paused = false;
        if (this.sock && !this.ended)
          this.sock.resume();
      }
      close() {
        this.ended = true;
        this.sock?.destroy();
      }
    };
    var FileInput = class {
      fd;
      owned;
      paused = false;
      reading = false;
      ended = false;
      onData = null;
      onEnd = null;
      buf;
      constructor(fd, owned, max) {
        this.fd = fd;
        this.owned = owned;
        this.buf = Buffer.allocUnsafe(readSize(max));
      }
      start(onData, onEnd) {
        this.onData = onData;
        this.onEnd = onEnd;
        this.next();
      }
      next() {
        if (this.paused || this.reading || this.ended)
          return;
        this.reading = true;
        fs.read(this.fd, this.buf, 0, this.buf.length, null, (err, n) => {
          this.reading = false;
          if (this.ended)
            return;
          if (err && (err.code === "EAGAIN" || err.code === "EINTR")) {
            setTimeout(() => this.next(), 20);
            return;
          }
          if (err || n === 0) {
            this.ended = true;
            this.onEnd?.(err ?? void 0);
            return;
          }
          this.onData?.(this.buf, n);
          this.next();
        });
      }
      pause() {
        this.paused = true;
      }
      resume() {
        this.paused = false;
        this.next();
      }
      close() {
        this.ended = true;
        if (this.owned)
          fs.close(this.fd, () => {
          });
      }
    };
    var StreamInput = class {
      stream;
      constructor(stream) {
        this.stream = stream;
      }
      start(onData, onEnd) {
        let ended = false;
        const finish = (err) => {
          if (ended)
            return;
          ended = true;
          onEnd(err);
        };
        this.stream.on("data", (chunk) => {
          const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          onData(b, b.length);
        });
        this.stream.on("end", () => finish());
        this.stream.on("error", (err) => finish(err));
      }
      pause() {
        this.stream.pause();
      }
      resume() {
        this.stream.resume();
      }
      close() {
        this.stream.destroy();
      }
    };
    function openInput(input, readMax = CHUNK) {
      if (typeof input === "number") {
        const st = fs.fstatSync(input);
        if (st.isFIFO() || st.isSocket())
          return new PollInput(input, readMax);
        return new FileInput(input, false, readMax);
      }
      if (isInputSource(input))
        return input;
      return new StreamInput(input);
    }
    function isInputSource(x) {
      const o = x;
      return typeof o.start === "function" && typeof o.pause === "function" && typeof o.close === "function";
    }
  }
});

// dist/svlogd/config.js
var require_config = __commonJS({
  "dist/svlogd/config.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.defaultConfig = defaultConfig;
    exports2.parseConfig = parseConfig;
    var scan_1 = require_scan();
    function defaultConfig() {
      return {
        sizeMax: 1e6,
        nMax: 10,
        nMin: 10,
        tMax: 0,
        processor: null,
        udp: null,
        udpOnly: false,
        prefix: null,
        patterns: []
      };
    }
    function parseConfig(data, warn = () => {
    }) {
      const cfg = defaultConfig();
      let pos = 0;
      while (pos < data.length) {
        let nl = data.indexOf(10, pos);
        if (nl < 0)
          nl = data.length;
        const lineBuf = data.subarray(pos, nl);
        pos = nl + 1;
        if (lineBuf.length === 0)
          continue;
        const kind = lineBuf[0];
        const argBuf = lineBuf.subarray(1);
        const arg = argBuf.toString("latin1");
        switch (kind) {
          case 43:
          // +
          case 45:
          // -
          case 101:
          // e
          case 69:
            cfg.patterns.push({ kind, text: Buffer.from(cutNul(argBuf)) });
            break;
          case 115: {
            const { value, used } = (0, scan_1.scanUlong)(arg);
            let size = value;
            if (used > 0 && arg[used] === "k")
              size *= 1024;
            else if (used > 0 && arg[used] === "m")
              size *= 1048576;
            cfg.sizeMax = size;
            break;
          }
          case 110:
            cfg.nMax = (0, scan_1.scanUlong)(arg).value;
            break;
          case 78:
            cfg.nMin = (0, scan_1.scanUlong)(arg).value;
            break;
          case 116: {
            const { value, used } = (0, scan_1.scanUlong)(arg);
            let secs = value;
            if (used > 0 && arg[used] === "m")
              secs *= 60;
            else if (used > 0 && arg[used] === "h")
              secs *= 3600;
            cfg.tMax = secs;
            break;
          }
          case 33:
            if (argBuf.length > 0)
              cfg.processor = cutNul(argBuf).toString();
            break;
          case 117:
          // u
          case 85: {
            if (kind === 85)
              cfg.udpOnly = true;
            const ip = (0, scan_1.scanIp4)(arg);
            if (!ip) {
              warn(`unable to scan ip address: ${arg}`);
              break;
            }
            let port = 514;
            if (arg[ip.used] === ":") {
              const rest = arg.slice(ip.used + 1);
              const p = (0, scan_1.scanUlong)(rest).value;
              if (p === 0) {
                warn(`unable to scan port number: ${rest}`);
                break;
              }
              port = p & 65535;
            }
            cfg.udp = { host: ip.ip, port };
            break;
          }
          case 112:
            if (argBuf.length > 0)
              cfg.prefix = Buffer.from(cutNul(argBuf));
            break;
          default:
            break;
        }
      }
      return cfg;
    }
    function cutNul(b) {
      const z = b.indexOf(0);
      return z < 0 ? b : b.subarray(0, z);
    }
  }
});

// dist/svlogd/fsio.js
var require_fsio = __commonJS({
  "dist/svlogd/fsio.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.blockingIo = exports2.asyncIo = exports2.O_NOFOLLOW = exports2.O_READ = exports2.O_TRUNC_NEW = exports2.O_APPEND_NEW = void 0;
    exports2.sleep = sleep;
    var fs = __importStar2(require("node:fs"));
    exports2.O_APPEND_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
    exports2.O_TRUNC_NEW = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_TRUNC | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
    exports2.O_READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
    exports2.O_NOFOLLOW = fs.constants.O_NOFOLLOW;
    var O_READ_NOFOLLOW = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW;
    function call(fn) {
      return new Promise((res, rej) => fn((e, v) => e ? rej(e) : res(v)));
    }
    exports2.asyncIo = {
      open: (p, flags, mode = 384) => call((cb) => fs.open(p, flags, mode, cb)),
      write: (fd, buf, off, len) => call((cb) => fs.write(fd, buf, off, len, null, cb)),
      fsync: (fd) => call((cb) => fs.fsync(fd, (e) => cb(e, void 0))),
      fchmod: (fd, mode) => call((cb) => fs.fchmod(fd, mode, (e) => cb(e, void 0))),
      fstat: (fd) => call((cb) => fs.fstat(fd, cb)),
      fchown: (fd, uid, gid) => call((cb) => fs.fchown(fd, uid, gid, (e) => cb(e, void 0))),
      close: (fd) => new Promise((res) => fs.close(fd, () => res())),
      readFile: (p) => readAsync(p, exports2.O_READ),
      readFileNoFollow: (p) => readAsync(p, O_READ_NOFOLLOW),
      rename: (a, b) => call((cb) => fs.rename(a, b, (e) => cb(e, void 0))),
      unlink: (p) => call((cb) => fs.unlink(p, (e) => cb(e, void 0))),
      readdir: (p) => call((cb) => fs.readdir(p, cb)),
      stat: (p) => call((cb) => fs.stat(p, cb)),
      lstat: (p) => call((cb) => fs.lstat(p, cb)),
      chmod: (p, mode) => call((cb) => fs.chmod(p, mode, (e) => cb(e, void 0))),
      exists: (p) => new Promise((res) => fs.lstat(p, (e) => res(!e)))
    };
    function now(fn) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    exports2.blockingIo = {
      open: (p, flags, mode = 384) => now(() => fs.openSync(p, flags, mode)),
      write: (fd, buf, off, len) => now(() => fs.writeSync(fd, buf, off, len)),
      fsync: (fd) => now(() => fs.fsyncSync(fd)),
      fchmod: (fd, mode) => now(() => fs.fchmodSync(fd, mode)),
      fstat: (fd) => now(() => fs.fstatSync(fd)),
      fchown: (fd, uid, gid) => now(() => fs.fchownSync(fd, uid, gid)),
      close: (fd) => now(() => {
        try {
          fs.closeSync(fd);
        } catch {
        }
      }),
      readFile: (p) => now(() => readBlocking(p, exports2.O_READ)),
      readFileNoFollow: (p) => now(() => readBlocking(p, O_READ_NOFOLLOW)),
      rename: (a, b) => now(() => fs.renameSync(a, b)),
      unlink: (p) => now(() => fs.unlinkSync(p)),
      readdir: (p) => now(() => fs.readdirSync(p)),
      stat: (p) => now(() => fs.statSync(p)),
      lstat: (p) => now(() => fs.lstatSync(p)),
      chmod: (p, mode) => now(() => fs.chmodSync(p, mode)),
      exists: (p) => now(() => {
        try {
          fs.lstatSync(p);
          return true;
        } catch {
          return false;
        }
      })
    };
    async function readAsync(p, flags) {
      const fd = await exports2.asyncIo.open(p, flags);
      try {
        return await call((cb) => fs.readFile(fd, cb));
      } finally {
        await exports2.asyncIo.close(fd);
      }
    }
    function readBlocking(p, flags) {
      const fd = fs.openSync(p, flags);
      try {
        return fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    function sleep(ms) {
      return new Promise((res) => setTimeout(res, ms));
    }
  }
});

// dist/svlogd/stamp.js
var require_stamp = __commonJS({
  "dist/svlogd/stamp.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.STAMP_LEN = void 0;
    exports2.wallMicros = wallMicros;
    exports2.stampNow = stampNow;
    exports2.formatStamp = formatStamp;
    var tai64_12 = require_tai64();
    exports2.STAMP_LEN = 26;
    function monoMs() {
      const [s, ns] = process.hrtime();
      return s * 1e3 + ns / 1e6;
    }
    var offsetMs = Date.now() - monoMs();
    function wallMicros() {
      const perf = monoMs();
      const wall = Date.now();
      let t = offsetMs + perf;
      if (Math.abs(t - wall) > 2) {
        offsetMs = wall - perf;
        t = wall;
      }
      return Math.floor(t * 1e3);
    }
    function stampNow() {
      return (0, tai64_12.fromMicros)(wallMicros());
    }
    var HEX = "0123456789abcdef";
    var tai = Buffer.alloc(12);
    var cachedSec = -1;
    var cachedKind = 0;
    var cachedDate = Buffer.alloc(20);
    function pad2(n) {
      return n < 10 ? "0" + n : String(n);
    }
    function formatStamp(kind, t, out, offset = 0) {
      if (kind === 1) {
        (0, tai64_12.encodeTai64n)(t, tai);
        out[offset] = 64;
        for (let i = 0; i < 12; i++) {
          const b = tai[i];
          out[offset + 1 + 2 * i] = HEX.charCodeAt(b >> 4);
          out[offset + 2 + 2 * i] = HEX.charCodeAt(b & 15);
        }
        out[offset + 25] = 32;
        return;
      }
      if (t.sec !== cachedSec || kind !== cachedKind) {
        const d = new Date(t.sec * 1e3);
        const s = String(d.getUTCFullYear()).padStart(4, "0") + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) + (kind === 2 ? "_" : "T") + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes()) + ":" + pad2(d.getUTCSeconds()) + ".";
        cachedDate.write(s, "latin1");
        cachedSec = t.sec;
        cachedKind = kind;
      }
      cachedDate.copy(out, offset, 0, 20);
      let frac = Math.floor(t.nsec / 1e4);
      for (let i = 24; i >= 20; i--) {
        out[offset + i] = 48 + frac % 10;
        frac = Math.floor(frac / 10);
      }
      out[offset + 25] = 32;
    }
  }
});

// dist/svlogd/logdir.js
var require_logdir = __commonJS({
  "dist/svlogd/logdir.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.LogDir = void 0;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var native = __importStar2(require_native());
    var tai64_12 = require_tai64();
    var config_1 = require_config();
    var errstr_1 = require_errstr();
    var fsio_1 = require_fsio();
    var stamp_1 = require_stamp();
    var dgramModule = null;
    function dgram() {
      if (dgramModule === null)
        dgramModule = require("node:dgram");
      return dgramModule;
    }
    var STAGE_SIZE = 65536;
    var NO_STAGE = Buffer.alloc(0);
    var NL = Buffer.from("\n");
    var Stopped = class extends Error {
    };
    var PROCESSOR_WRAPPER = 'exec 4<state 5>newstate || exit 111; exec /bin/sh -c "$1" sh';
    var LogDir = class {
      name;
      dir;
      host;
      cfg = (0, config_1.defaultConfig)();
      /** functional: opened, locked, current open */
      isOpen = false;
      /** runit's per-directory match state for the line being processed */
      match = 43;
      /** deliberately kept across re-opens: runit's stale "matcherr" quirk */
      matchErr = 0;
      /** next time-based rotation (ms since epoch), 0 = none */
      deadline = 0;
      /** bytes in `current` once everything queued is written */
      size = 0;
      /** bytes handed over for writing since the start (running total) */
      queued = 0;
      /** bytes written since the start (running total; `queued` once all is on disk) */
      written = 0;
      lockFd = -1;
      curFd = -1;
      // allocated on the first byte, dropped once handed to the writer: an idle
      // logger (most of them, in a daemon with 1000 services) holds no buffer
      stage = NO_STAGE;
      stageLen = 0;
      ops = [];
      working = false;
      idleWaiters = [];
      processing = null;
      udp = null;
      stopped = false;
      io;
      constructor(name, dir, host) {
        this.name = name;
        this.dir = dir;
        this.host = host;
        this.io = host.blockingIo ? fsio_1.blockingIo : fsio_1.asyncIo;
      }
      file(name) {
        return path2.join(this.dir, name);
      }
      warn2(msg, err) {
        this.host.message("warning", `${msg}: ${this.name}: ${(0, errstr_1.errorText)(err)}`);
      }
      info(text) {
        if (this.host.verbose)
          this.host.message("info", text);
      }
      /** Runs `fn` until it succeeds, printing runit's "pausing" message between tries. */
      async retry(what, fn) {
        for (; ; ) {
          if (this.stopped)
            throw new Stopped();
          try {
            return await fn();
          } catch (err) {
            if (err instanceof Stopped)
              throw err;
            this.host.message("pausing", `${what}: ${this.name}: ${(0, errstr_1.errorText)(err)}`);
            await (0, fsio_1.sleep)(this.host.pauseMs);
          }
        }
      }
      // ------------------------------------------------------------ open / close
      /**
       * Opens (creating) a file of the folder. A file with other hard links is
       * refused: in a folder its user controls, a link to /etc/shadow must not be
       * appended to by root. New files are given to the log's owner.
       */
      async create(name, flags, mode) {
        const fd = await this.io.open(this.file(name), flags, mode);
        try {
          const st = await this.io.fstat(fd);
          if (!st.isFile() || st.nlink > 1)
            throw Object.assign(new Error(`${name}: not a plain file of its own`), { code: "EMLINK" });
          if (this.host.owner && (st.uid !== this.host.owner.uid || st.gid !== this.host.owner.gid))
            await this.io.fchown(fd, this.host.owner.uid, this.host.owner.gid);
        } catch (err) {
          await this.io.close(fd);
          throw err;
        }
        return fd;
      }
      /** runit's logdir_open; false (after a warning) if the directory is not usable. */
      async open() {
        this.cfg = (0, config_1.defaultConfig)();
        this.match = 43;
        let st;
        try {
          st = await this.io.stat(this.dir);
        } catch (err) {
          this.warn2("unable to open log directory", err);
          return false;
        }
        if (!st.isDirectory()) {
          this.warn2("unable to change directory", { code: "ENOTDIR" });
          return false;
        }
        try {
          this.lockFd = await this.create("lock", fsio_1.O_APPEND_NEW, 384);
          native.flock(this.lockFd, "ex", true);
        } catch (err) {
          this.warn2("unable to lock directory", err);
          await this.releaseLock();
          return false;
        }
        let text = null;
        try {
          text = this.host.owner ? await this.io.readFileNoFollow(this.file("config")) : await this.io.readFile(this.file("config"));
          this.info(`read: ${this.name}/config`);
        } catch (err) {
          if ((0, errstr_1.errorCode)(err) !== "ENOENT")
            this.warn2("unable to read config", err);
        }
        if (text)
          this.cfg = (0, config_1.parseConfig)(text, (m) => this.host.message("warning", m));
        this.deadline = this.cfg.tMax > 0 ? Date.now() + this.cfg.tMax * 1e3 : 0;
        let fresh = true;
        this.size = 0;
        try {
          const cur = await this.io.lstat(this.file("current"));
          if (!cur.isFile() || cur.nlink > 1) {
            this.warn2("unable to open current", { code: cur.isSymbolicLink() ? "ELOOP" : "EMLINK" });
            await this.releaseLock();
            return false;
          }
          if (cur.size > 0 && (cur.mode & 64) === 0) {
            const name = await this.freshName(".u");
            await this.retry("unable to rename current", () => this.io.rename(this.file("current"), this.file(name)));
            await this.prune();
          } else {
            this.size = cur.size;
            fresh = false;
          }
        } catch (err) {
          if ((0, errstr_1.errorCode)(err) !== "ENOENT") {
            this.warn2("unable to stat current", err);
            await this.releaseLock();
            return false;
          }
        }
        try {
          this.curFd = await this.retry("unable to open current", () => this.create("current", fsio_1.O_APPEND_NEW, 384));
          await this.retry("unable to set mode of current", () => this.io.fchmod(this.curFd, 420));
        } catch {
          await this.releaseLock();
          return false;
        }
        this.info(`${fresh ? "new" : "append"}: ${this.name}/current`);
        this.isOpen = true;
        return true;
      }
      async releaseLock() {
        if (this.curFd >= 0)
          await this.io.close(this.curFd);
        this.curFd = -1;
        if (this.lockFd >= 0)
          await this.io.close(this.lockFd);
        this.lockFd = -1;
      }
      /** Writes everything queued, then fsync, mark complete (0744), close, unlock. */
      async close() {
        if (!this.isOpen)
          return;
        this.flush();
        await this.idle();
        this.isOpen = false;
        this.info(`close: ${this.name}`);
        try {
          await this.retry("unable to fsync current logfile", () => this.io.fsync(this.curFd));
          await this.retry("unable to set mode of current", () => this.io.fchmod(this.curFd, 484));
        } catch {
        }
        await this.releaseLock();
        this.udp?.close();
        this.udp = null;
      }
      /** Waits for a running processor (exit waits for them, as runit does). */
      async waitProcessor() {
        while (this.processing)
          await this.processing.done;
      }
      /** Gives up every retry loop and closes the fds at once (engine destroyed). */
      async abort() {
        this.stopped = true;
        this.isOpen = false;
        this.ops.length = 0;
        this.written = this.queued;
        await this.releaseLock();
        this.udp?.close();
        this.udp = null;
      }
      // ------------------------------------------------------------ line output
      /** Appends bytes of a line, rotating first wherever `s` says the file is full. */
      append(src, start, end) {
        const max = this.cfg.sizeMax;
        while (start < end) {
          if (max > 0 && this.size >= max)
            this.rotate();
          let w = end - start;
          if (max > 0 && w > max - this.size)
            w = max - this.size;
          this.put(src, start, start + w);
          this.size += w;
          start += w;
        }
      }
      /** Stamp, prefix and (part of) a line; in the common case no rotation falls inside. */
      appendParts(stamp, prefix, src, start, end) {
        const total = (stamp === null ? 0 : stamp.length) + (prefix === null ? 0 : prefix.length) + (end - start);
        const max = this.cfg.sizeMax;
        if (max === 0 || this.size + total <= max) {
          const st = this.room(total);
          let p = this.stageLen;
          if (stamp !== null)
            p += stamp.copy(st, p);
          if (prefix !== null)
            p += prefix.copy(st, p);
          const n = end - start;
          if (n < 32)
            for (let i = start; i < end; i++)
              st[p++] = src[i];
          else
            p += src.copy(st, p, start, end);
          this.stageLen = p;
          this.size += total;
          return;
        }
        if (stamp !== null)
          this.append(stamp, 0, stamp.length);
        if (prefix !== null)
          this.append(prefix, 0, prefix.length);
        this.append(src, start, end);
      }
      /** Ends a line: the newline, then runit's "soft" rotation check. */
      endLine() {
        const max = this.cfg.sizeMax;
        if ((max === 0 || this.size < max) && this.stageLen < this.stage.length) {
          this.stage[this.stageLen++] = 10;
          this.size++;
        } else
          this.append(NL, 0, 1);
        if (max > 0 && max >= this.host.lineMax && this.size >= max - this.host.lineMax)
          this.rotate();
      }
      put(src, start, end) {
        this.stageLen += src.copy(this.room(end - start), this.stageLen, start, end);
      }
      /** The stage, with room for n more bytes. */
      room(n) {
        if (this.stageLen + n > this.stage.length) {
          this.pushStage();
          const size = Math.max(n, STAGE_SIZE);
          if (this.stage.length < size)
            this.stage = Buffer.allocUnsafe(size);
        }
        return this.stage;
      }
      pushStage() {
        if (this.stageLen === 0)
          return;
        const data = this.stage.subarray(0, this.stageLen);
        this.ops.push({ kind: "write", data });
        this.queued += data.length;
        this.stage = NO_STAGE;
        this.stageLen = 0;
      }
      /** Queues a rotation at this point of the byte stream, if `current` is not empty. */
      rotate() {
        if (this.size === 0)
          return;
        this.pushStage();
        this.ops.push({ kind: "rotate" });
        this.size = 0;
      }
      /** Hands everything staged to the writer; with blocking I/O, writes what it can now. */
      flush() {
        if (this.host.blockingIo && !this.working && this.curFd >= 0)
          this.writeNow();
        this.pushStage();
        if (!this.working && this.ops.length > 0)
          void this.work();
      }
      // The command's path: the writes at the head of the queue, then the stage, with
      // blocking writes while they succeed. A rotation or a failed write is left to the
      // worker, which retries and reports as runit does; the engine does not read on
      // before it is done. The stage buffer is kept: the next read fills it again.
      writeNow() {
        while (this.ops.length > 0) {
          const op = this.ops[0];
          if (op.kind !== "write")
            return;
          const n2 = this.writeBlocking(op.data, op.data.length);
          if (n2 < op.data.length) {
            op.data = op.data.subarray(n2);
            return;
          }
          this.ops.shift();
        }
        const len = this.stageLen;
        if (len === 0)
          return;
        this.queued += len;
        const n = this.writeBlocking(this.stage, len);
        if (n === len) {
          this.stageLen = 0;
          return;
        }
        this.ops.push({ kind: "write", data: this.stage.subarray(n, len) });
        this.stage = NO_STAGE;
        this.stageLen = 0;
      }
      /** How much of the first `len` bytes of `data` was written before a write failed. */
      writeBlocking(data, len) {
        let off = 0;
        try {
          while (off < len) {
            const n = (0, node_fs_12.writeSync)(this.curFd, data, off, len - off);
            off += n;
            this.written += n;
          }
        } catch {
        }
        return off;
      }
      idle() {
        if (!this.working && this.ops.length === 0)
          return Promise.resolve();
        return new Promise((res) => this.idleWaiters.push(res));
      }
      sendUdp(packet) {
        const addr = this.cfg.udp;
        if (!addr)
          return;
        if (!this.udp) {
          try {
            this.udp = dgram().createSocket("udp4");
            this.udp.unref();
            this.udp.on("error", () => {
            });
          } catch {
            this.udpTrouble("warning: no udp socket available: ", packet);
            return;
          }
        }
        this.udp.send(packet, addr.port, addr.host, (err) => {
          if (err)
            this.udpTrouble("warning: failure sending through udp: ", packet);
        });
      }
      udpTrouble(what, packet) {
        if (!this.isOpen)
          return;
        const b = Buffer.from(what);
        this.append(b, 0, b.length);
        this.append(packet, 0, packet.length);
        this.flush();
        this.host.progress();
      }
      // ------------------------------------------------------------ the writer
      async work() {
        this.working = true;
        try {
          while (this.ops.length > 0) {
            const op = this.ops[0];
            if (op.kind === "write") {
              await this.writeAll(op.data);
            } else {
              await this.rotateFile();
            }
            this.ops.shift();
            this.host.progress();
          }
        } catch (err) {
          if (!(err instanceof Stopped))
            this.host.message("warning", `unexpected: ${this.name}: ${String(err)}`);
        } finally {
          this.working = false;
          const w = this.idleWaiters;
          this.idleWaiters = [];
          for (const f of w)
            f();
          this.host.progress();
        }
      }
      async writeAll(data) {
        let off = 0;
        while (off < data.length) {
          if (this.stopped)
            throw new Stopped();
          try {
            const n = await this.io.write(this.curFd, data, off, data.length - off);
            off += n;
            this.written += n;
          } catch (err) {
            if ((0, errstr_1.errorCode)(err) === "ENOSPC" && this.cfg.nMin < this.cfg.nMax && await this.deleteForSpace())
              continue;
            this.host.message("pausing", `unable to write to current: ${this.name}: ${(0, errstr_1.errorText)(err)}`);
            await (0, fsio_1.sleep)(this.host.pauseMs);
          }
        }
      }
      /** Full disk with N < n: delete the oldest old file if more than N are left. */
      async deleteForSpace() {
        let names;
        try {
          names = await this.io.readdir(this.dir);
        } catch (err) {
          this.warn2("unable to read directory, want remove old logfile", err);
          return false;
        }
        let count = 0;
        let oldest = null;
        for (const n of names) {
          if (n.length !== 27 || n[0] !== "@")
            continue;
          count++;
          if (n === this.processing?.u || n === this.processing?.t)
            continue;
          if (oldest === null || n < oldest)
            oldest = n;
        }
        if (count <= this.cfg.nMin || oldest === null)
          return false;
        this.host.message("warning", `out of disk space, delete: ${this.name}/${oldest}`);
        try {
          await this.io.unlink(this.file(oldest));
          return true;
        } catch (err) {
          this.warn2("unable to unlink oldest logfile", err);
          return false;
        }
      }
      async freshName(ext) {
        for (; ; ) {
          const name = (0, tai64_12.formatLabel)((0, stamp_1.stampNow)()) + ext;
          if (!await this.io.exists(this.file(name)))
            return name;
        }
      }
      /** runit's rotate(): close `current` as complete, rename it, start a new one. */
      async rotateFile() {
        await this.waitProcessor();
        const processor = this.cfg.processor;
        const name = await this.freshName(processor ? ".u" : ".s");
        const fd = this.curFd;
        const st = await this.io.fstat(fd).catch(() => null);
        await this.retry("unable to fsync current logfile", () => this.io.fsync(fd));
        await this.retry("unable to set mode of current", () => this.io.fchmod(fd, 484));
        await this.io.close(fd);
        this.curFd = -1;
        this.info(`rename: ${this.name}/current ${name} ${st ? st.size : 0}`);
        await this.retry("unable to rename current", () => this.io.rename(this.file("current"), this.file(name)).catch((err) => {
          if ((0, errstr_1.errorCode)(err) === "ENOENT")
            this.warn2("unable to rename current", err);
          else
            throw err;
        }));
        this.curFd = await this.retry("unable to create new current", () => this.create("current", fsio_1.O_APPEND_NEW, 384));
        await this.retry("unable to set mode of current", () => this.io.fchmod(this.curFd, 420));
        await this.prune();
        if (processor)
          this.startProcessor(name, processor);
      }
      /** runit's rmoldest(): drop processor leftovers, delete the oldest beyond n. */
      async prune() {
        let names;
        try {
          names = await this.io.readdir(this.dir);
        } catch (err) {
          this.warn2("unable to read directory", err);
          return;
        }
        let count = 0;
        let oldest = null;
        for (const n of names) {
          if (n.length !== 27 || n[0] !== "@")
            continue;
          if (n.endsWith("t")) {
            if (n === this.processing?.t)
              continue;
            try {
              await this.io.unlink(this.file(n));
            } catch (err) {
              this.host.message("warning", `unable to unlink processor leftover: ${n}: ${(0, errstr_1.errorText)(err)}`);
            }
            continue;
          }
          count++;
          if (n === this.processing?.u)
            continue;
          if (oldest === null || n < oldest)
            oldest = n;
        }
        if (this.cfg.nMax > 0 && count > this.cfg.nMax && oldest !== null) {
          this.info(`delete: ${this.name}/${oldest}`);
          try {
            await this.io.unlink(this.file(oldest));
          } catch (err) {
            this.warn2("unable to unlink oldest logfile", err);
          }
        }
      }
      // ------------------------------------------------------------ processor
      startProcessor(u, command) {
        const base = u.slice(0, -2);
        const t = base + ".t";
        const entry = { u, t, done: Promise.resolve() };
        this.processing = entry;
        entry.done = this.runProcessor(base, command).catch(() => {
        }).finally(() => {
          if (this.processing === entry)
            this.processing = null;
        });
      }
      async runProcessor(base, command) {
        const u = base + ".u";
        const t = base + ".t";
        const s = base + ".s";
        this.info(`processing: ${this.name}/${u}`);
        for (; ; ) {
          if (this.stopped)
            return;
          let exited = null;
          const fds = [];
          try {
            let step = "unable to open input for processor";
            try {
              fds.push(await this.io.open(this.file(u), fsio_1.O_READ | fsio_1.O_NOFOLLOW));
              step = "unable to open output for processor";
              fds.push(await this.create(t, fsio_1.O_TRUNC_NEW, 420));
              step = "unable to create empty state for processor";
              await this.io.close(await this.create("state", fsio_1.O_APPEND_NEW, 420));
            } catch (err) {
              this.warn2(step, err);
              if ((0, errstr_1.errorCode)(err) === "ENOENT" && step === "unable to open input for processor")
                return;
              await (0, fsio_1.sleep)(this.host.pauseMs);
              continue;
            }
            try {
              const pid = native.spawn({
                file: "/bin/sh",
                argv: ["sh", "-c", PROCESSOR_WRAPPER, "sh", command],
                cwd: this.dir,
                stdio: [fds[0], fds[1], "inherit"],
                sigmask: ["SIGCHLD"],
                ...this.host.owner ? { uid: this.host.owner.uid, gid: this.host.owner.gid, groups: [this.host.owner.gid] } : {}
              });
              exited = native.waitExit(pid);
            } catch (err) {
              this.host.message("pausing", `unable to fork for processor: ${this.name}: ${(0, errstr_1.errorText)(err)}`);
              await (0, fsio_1.sleep)(this.host.pauseMs);
              continue;
            }
          } finally {
            for (const fd of fds)
              await this.io.close(fd);
          }
          const exit = await exited;
          if (exit.status >> 8 !== 0) {
            this.host.message("warning", `processor failed, restart: ${this.name}`);
            await this.io.unlink(this.file(t)).catch(() => {
            });
            continue;
          }
          break;
        }
        await this.retry("unable to rename processed", () => this.io.rename(this.file(t), this.file(s)));
        await this.retry("unable to set mode of processed", () => this.io.chmod(this.file(s), 484));
        try {
          await this.io.unlink(this.file(u));
        } catch {
          this.host.message("warning", `unable to unlink: ${this.name}/${u}`);
        }
        await this.retry("unable to rename state", () => this.io.rename(this.file("newstate"), this.file("state")));
        this.info(`processed: ${this.name}/${s}`);
      }
    };
    exports2.LogDir = LogDir;
  }
});

// dist/svlogd/match.js
var require_match = __commonJS({
  "dist/svlogd/match.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.pmatch = pmatch;
    function pmatch(pattern, line, start, end) {
      let p = 0;
      let s = start;
      const plen = pattern.length;
      for (; ; ) {
        if (p >= plen)
          return s >= end;
        const c = pattern[p++];
        if (c === 42) {
          if (p >= plen)
            return true;
          const next = pattern[p];
          for (; ; ) {
            if (s >= end)
              return false;
            if (line[s] === next)
              break;
            s++;
          }
          continue;
        }
        if (c === 43) {
          if (p >= plen || s >= end)
            return false;
          const rep = pattern[p++];
          if (line[s] !== rep)
            return false;
          for (; ; ) {
            if (s >= end)
              return true;
            if (line[s] !== rep)
              break;
            s++;
          }
          continue;
        }
        if (s >= end)
          return false;
        if (line[s] !== c)
          return false;
        s++;
      }
    }
  }
});

// dist/svlogd/engine.js
var require_engine = __commonJS({
  "dist/svlogd/engine.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.LogEngine = void 0;
    var node_events_1 = require("node:events");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var input_1 = require_input();
    var logdir_1 = require_logdir();
    var match_1 = require_match();
    var stamp_1 = require_stamp();
    var READ_MAX = 65536;
    var LogEngine = class extends node_events_1.EventEmitter {
      lineMax;
      verbose;
      pauseMs;
      owner;
      blockingIo;
      unwrittenMax;
      readMax;
      /** resolves with the exit code svlogd would have (0, or 111 after a fatal error) */
      done;
      dirs;
      timestamp;
      replaceChar;
      replace;
      // process.stderr is made on first use, which costs a new logger milliseconds
      stderrOpt;
      input = null;
      inputSpec;
      resolveDone;
      state = "new";
      holds = /* @__PURE__ */ new Set();
      inputPaused = false;
      deferred = [];
      timer = null;
      stopRequested = false;
      reopenPending = false;
      reopening = false;
      // what is read and what of it is written, in input bytes since the start
      readTotal = 0;
      splitTotal = 0;
      durable = 0;
      marks = [];
      // the line being read
      inLine = false;
      overflow = false;
      lineLen = 0;
      lineBuf;
      stamp;
      chunkStamp = Buffer.alloc(stamp_1.STAMP_LEN);
      lineStamp = Buffer.alloc(stamp_1.STAMP_LEN);
      constructor(init) {
        super();
        const o = init.options ?? {};
        this.timestamp = Math.min(Math.max(o.timestamp ?? 0, 0), 3);
        this.lineMax = o.lineMax && o.lineMax > 0 ? o.lineMax : 1e3;
        const bufLen = o.bufLen && o.bufLen > 0 ? o.bufLen : 1024;
        if (bufLen <= this.lineMax)
          throw new RangeError("svlogd: buflen must be greater than the line length");
        this.unwrittenMax = o.unwrittenMax && o.unwrittenMax > 0 ? o.unwrittenMax : bufLen;
        this.readMax = Math.min(o.readMax && o.readMax > 0 ? o.readMax : this.unwrittenMax, this.unwrittenMax, READ_MAX);
        this.blockingIo = o.blockingIo === true;
        this.verbose = o.verbose === true;
        this.pauseMs = o.pauseMs ?? 3e3;
        this.owner = o.owner ?? null;
        this.stderrOpt = o.stderr;
        const rc = o.replaceChar;
        const rb = o.replaceBytes === void 0 ? null : Buffer.from(o.replaceBytes);
        if (rc !== void 0 && rc !== null)
          this.replaceChar = typeof rc === "number" ? rc & 255 : Buffer.from(rc)[0] ?? 95;
        else
          this.replaceChar = 95;
        if (rc !== void 0 && rc !== null || rb !== null) {
          const r = new Uint8Array(256);
          for (let i = 0; i < 256; i++)
            r[i] = i < 32 || i > 126 ? 1 : 0;
          if (rb)
            for (const b of rb)
              r[b] = 1;
          this.replace = r;
        } else
          this.replace = null;
        this.lineBuf = Buffer.alloc(this.lineMax);
        this.stamp = this.chunkStamp;
        const cwd = o.cwd ?? process.cwd();
        this.dirs = init.dirs.map((d) => new logdir_1.LogDir(d, path2.resolve(cwd, d), this));
        this.inputSpec = init.input;
        this.done = new Promise((res) => this.resolveDone = res);
      }
      message(kind, text) {
        this.emit("message", kind, text);
      }
      // ------------------------------------------------------------ life cycle
      /** Opens the directories and starts reading; false (and done = 111) if none is usable. */
      async start() {
        if (this.state !== "new")
          throw new Error("LogEngine: already started");
        this.state = "running";
        this.reopening = true;
        if (!await this.openAll())
          return false;
        this.reopening = false;
        this.input = (0, input_1.openInput)(this.inputSpec, this.readMax);
        this.input.start((buf, n) => this.onData(buf, n), (err) => this.onEnd(err));
        this.updateInput();
        this.armTimer();
        if (this.stopRequested)
          void this.exit(0);
        else if (this.reopenPending)
          void this.doReopen();
        return true;
      }
      /** HUP: close every directory (complete, 0744) and open it again, re-reading config. */
      reopen() {
        if (this.state !== "running")
          return;
        if (this.reopening) {
          this.reopenPending = true;
          return;
        }
        void this.doReopen();
      }
      /** ALRM: rotate every directory whose current is not empty. */
      rotate() {
        if (this.state !== "running" || this.reopening)
          return;
        for (const d of this.dirs) {
          if (!d.isOpen)
            continue;
          d.rotate();
          d.flush();
        }
      }
      /**
       * TERM: finish and resolve `done`. Input already read is written; a line that is
       * half read is waited for (as runit does) and, unlike runit, written too.
       */
      stop() {
        if (this.state === "new") {
          this.state = "done";
          this.resolveDone(0);
          return;
        }
        if (this.state !== "running")
          return;
        this.stopRequested = true;
        if (!this.inLine && !this.reopening)
          void this.exit(0);
      }
      /** Abandons everything at once (no flush, no waiting for processors). */
      async destroy() {
        if (this.state === "done")
          return;
        this.state = "done";
        this.clearTimer();
        this.input?.close();
        for (const d of this.dirs)
          await d.abort();
        this.resolveDone(111);
      }
      async openAll() {
        let any = false;
        for (const d of this.dirs)
          if (await d.open())
            any = true;
        if (!any) {
          this.message("fatal", "no functional log directories.");
          this.state = "done";
          this.clearTimer();
          this.input?.close();
          this.resolveDone(111);
        }
        return any;
      }
      async doReopen() {
        this.reopening = true;
        this.hold("reopen", true);
        do {
          this.reopenPending = false;
          this.clearTimer();
          for (const d of this.dirs)
            await d.close();
          if (!await this.openAll())
            return;
        } while (this.reopenPending);
        this.reopening = false;
        this.armTimer();
        this.hold("reopen", false);
        const pending = this.deferred;
        this.deferred = [];
        for (const b of pending)
          if (this.state === "running")
            this.consume(b, b.length);
        if (this.stopRequested && !this.inLine)
          void this.exit(0);
      }
      async exit(code) {
        if (this.state !== "running")
          return;
        this.state = "exiting";
        this.clearTimer();
        this.hold("exit", true);
        this.input?.close();
        for (const d of this.dirs)
          d.flush();
        for (const d of this.dirs) {
          await d.idle();
          await d.waitProcessor();
          await d.close();
        }
        this.state = "done";
        this.resolveDone(code);
      }
      // ------------------------------------------------------------ input flow
      hold(reason, on) {
        if (on)
          this.holds.add(reason);
        else
          this.holds.delete(reason);
        this.updateInput();
      }
      updateInput() {
        const pause = this.holds.size > 0;
        if (!this.input || pause === this.inputPaused)
          return;
        this.inputPaused = pause;
        if (pause)
          this.input.pause();
        else if (this.state === "running")
          this.input.resume();
      }
      /**
       * Input bytes read and not yet written to every directory: what a kill would
       * cost now. At most unwrittenMax and the start of one line cut by a read.
       */
      get unwritten() {
        return this.readTotal - this.durable;
      }
      /** The start of a line kept until its end is read (a longer line was written as it came). */
      heldBytes() {
        return this.inLine && !this.overflow ? this.lineLen : 0;
      }
      /** DirHost: a directory wrote something; maybe read again. */
      progress() {
        while (this.marks.length > 0 && this.reached(this.marks[0]))
          this.durable = this.marks.shift().upTo;
        this.gate();
      }
      reached(m) {
        for (let i = 0; i < this.dirs.length; i++)
          if (this.dirs[i].written < m.want[i])
            return false;
        return true;
      }
      /**
       * Reads on only while a full read still fits under unwrittenMax, the start of
       * the line being read aside: it is written only once its end is read.
       */
      gate() {
        const over = this.unwritten - this.heldBytes() + this.readMax > this.unwrittenMax;
        if (over !== this.holds.has("unwritten"))
          this.hold("unwritten", over);
      }
      onData(buf, n) {
        if (this.state !== "running")
          return;
        this.readTotal += n;
        if (this.reopening) {
          this.deferred.push(Buffer.from(buf.subarray(0, n)));
          return;
        }
        this.consume(buf, n);
      }
      consume(buf, n) {
        this.split(buf, n);
        this.splitTotal += n;
        let pending = false;
        for (const d of this.dirs) {
          d.flush();
          if (d.written < d.queued)
            pending = true;
        }
        const upTo = this.splitTotal - this.heldBytes();
        if (!pending) {
          this.durable = upTo;
          this.marks.length = 0;
        } else
          this.marks.push({ upTo, want: this.dirs.map((d) => d.queued) });
        this.gate();
        if (this.stopRequested && !this.inLine)
          void this.exit(0);
      }
      onEnd(err) {
        if (err)
          this.message("warning", `unable to read standard input: ${(0, errstr_1.errorText)(err)}`);
        if (this.state !== "running")
          return;
        const finish = () => {
          if (this.inLine && this.overflow)
            this.endOverflowLine();
          this.inLine = false;
          void this.exit(0);
        };
        if (this.reopening) {
          const wait = setInterval(() => {
            if (this.reopening && this.state === "running")
              return;
            clearInterval(wait);
            if (this.state === "running")
              finish();
          }, 10);
          return;
        }
        finish();
      }
      // ------------------------------------------------------------ timers
      clearTimer() {
        if (this.timer)
          clearTimeout(this.timer);
        this.timer = null;
      }
      armTimer() {
        this.clearTimer();
        let next = 0;
        for (const d of this.dirs)
          if (d.isOpen && d.deadline > 0 && (next === 0 || d.deadline < next))
            next = d.deadline;
        if (next === 0)
          return;
        this.timer = setTimeout(() => this.onTimer(), Math.max(0, next - Date.now()));
      }
      onTimer() {
        this.timer = null;
        if (this.state !== "running" || this.reopening)
          return;
        const now = Date.now();
        for (const d of this.dirs) {
          if (!d.isOpen || d.deadline === 0 || d.deadline > now)
            continue;
          d.rotate();
          d.flush();
          d.deadline = now + d.cfg.tMax * 1e3;
        }
        this.armTimer();
      }
      // ------------------------------------------------------------ lines
      split(buf, n) {
        let pos = 0;
        let stamped = false;
        const lineMax = this.lineMax;
        while (pos < n) {
          if (this.overflow) {
            let nl2 = buf.indexOf(10, pos);
            if (nl2 >= n)
              nl2 = -1;
            const end = nl2 < 0 ? n : nl2;
            if (end > pos) {
              for (const d of this.dirs)
                if (d.isOpen && d.match === 43 && !d.cfg.udpOnly)
                  d.append(buf, pos, end);
            }
            if (nl2 < 0) {
              pos = n;
              break;
            }
            this.endOverflowLine();
            pos = nl2 + 1;
            continue;
          }
          if (!this.inLine) {
            if (this.timestamp && !stamped) {
              (0, stamp_1.formatStamp)(this.timestamp, (0, stamp_1.stampNow)(), this.chunkStamp);
              stamped = true;
            }
            this.stamp = this.chunkStamp;
            this.inLine = true;
            this.lineLen = 0;
            let nl2 = buf.indexOf(10, pos);
            if (nl2 >= n)
              nl2 = -1;
            if (nl2 >= 0 && nl2 - pos < lineMax) {
              this.dispatch(buf, pos, nl2, true);
              this.inLine = false;
              pos = nl2 + 1;
              continue;
            }
          }
          let nl = buf.indexOf(10, pos);
          if (nl >= n)
            nl = -1;
          const avail = (nl < 0 ? n : nl) - pos;
          const need = lineMax - this.lineLen;
          if (nl >= 0 && avail < need) {
            buf.copy(this.lineBuf, this.lineLen, pos, nl);
            this.lineLen += avail;
            this.dispatch(this.lineBuf, 0, this.lineLen, true);
            this.inLine = false;
            pos = nl + 1;
          } else if (avail >= need) {
            buf.copy(this.lineBuf, this.lineLen, pos, pos + need);
            this.lineLen = lineMax;
            pos += need;
            this.dispatch(this.lineBuf, 0, lineMax, false);
            this.overflow = true;
          } else {
            buf.copy(this.lineBuf, this.lineLen, pos, n);
            this.lineLen += avail;
            pos = n;
          }
        }
        if (this.inLine && this.stamp === this.chunkStamp) {
          this.chunkStamp.copy(this.lineStamp);
          this.stamp = this.lineStamp;
        }
      }
      endOverflowLine() {
        for (const d of this.dirs)
          if (d.isOpen && d.match === 43 && !d.cfg.udpOnly)
            d.endLine();
        this.overflow = false;
        this.inLine = false;
      }
      /** The first `len` bytes of a line (all of it if `complete`) go to every directory. */
      dispatch(line, start, end, complete) {
        const rep = this.replace;
        if (rep !== null) {
          for (let i = start; i < end; i++)
            if (rep[line[i]])
              line[i] = this.replaceChar;
        }
        const stamp = this.timestamp ? this.stamp : null;
        const full = end - start === this.lineMax;
        for (const d of this.dirs) {
          if (!d.isOpen)
            continue;
          const cfg = d.cfg;
          const pats = cfg.patterns;
          if (pats.length > 0) {
            d.match = 43;
            d.matchErr = 69;
            for (const p of pats) {
              if (!(0, match_1.pmatch)(p.text, line, start, end))
                continue;
              if (p.kind === 43 || p.kind === 45)
                d.match = p.kind;
              else
                d.matchErr = p.kind;
            }
          }
          if (d.matchErr === 101)
            (this.stderrOpt ?? process.stderr).write(this.packet(stamp, cfg.prefix, line, start, end, full));
          if (d.match !== 43)
            continue;
          if (cfg.udp)
            d.sendUdp(this.packet(stamp, cfg.prefix, line, start, end, full));
          if (cfg.udpOnly)
            continue;
          d.appendParts(stamp, cfg.prefix, line, start, end);
          if (complete)
            d.endLine();
        }
      }
      /** `[stamp][prefix]<first len bytes>[...]\n`, for stderr and UDP. */
      packet(stamp, prefix, line, start, end, full) {
        const parts = [];
        if (stamp)
          parts.push(stamp);
        if (prefix)
          parts.push(prefix);
        parts.push(line.subarray(start, end));
        parts.push(full ? DOTS_NL : NL);
        return Buffer.concat(parts);
      }
    };
    exports2.LogEngine = LogEngine;
    var NL = Buffer.from("\n");
    var DOTS_NL = Buffer.from("...\n");
  }
});

// dist/runsv/inline-logger.js
var require_inline_logger = __commonJS({
  "dist/runsv/inline-logger.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.readInlineLog = readInlineLog;
    exports2.createInlineEngine = createInlineEngine;
    exports2.signalEngine = signalEngine;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var native_12 = require_native();
    var inline_log_1 = require_inline_log();
    async function readInlineLog(logDir) {
      try {
        const flag = await node_fs_12.promises.readFile(path2.join(logDir, "inline"), "latin1").catch(() => "");
        if (flag.trim() === "no")
          return null;
        const run = path2.join(logDir, "run");
        const st = await node_fs_12.promises.stat(run);
        if (!st.isFile() || !(st.mode & node_fs_12.constants.S_IXUSR) || st.size > inline_log_1.INLINE_RUN_MAX)
          return null;
        const plan = (0, inline_log_1.parseInlineLog)(await node_fs_12.promises.readFile(run, "latin1"));
        if (!plan)
          return null;
        const cwd = await node_fs_12.promises.realpath(logDir);
        for (const d of plan.mkdirs)
          await node_fs_12.promises.mkdir(path2.resolve(cwd, d), { recursive: true }).catch(() => void 0);
        return { plan, cwd };
      } catch {
        return null;
      }
    }
    function ownerOf(spec) {
      const [userName, groupName] = spec.split(":");
      const pw = (0, native_12.getpwnam)(userName);
      if (!pw)
        throw new Error(`unknown user: ${userName}`);
      if (!groupName)
        return { uid: pw.uid, gid: pw.gid };
      const gr = (0, native_12.getgrnam)(groupName);
      if (!gr)
        throw new Error(`unknown group: ${groupName}`);
      return { uid: pw.uid, gid: gr.gid };
    }
    function createInlineEngine(p, pipeRead, report) {
      const owner = p.plan.user ? ownerOf(p.plan.user) : null;
      const stderr = { write: (b) => report(b.toString("latin1").replace(/\n$/, "")) };
      const { LogEngine: Engine } = require_engine();
      const engine = new Engine({ dirs: p.plan.dirs, options: { ...p.plan.options, cwd: p.cwd, owner, stderr }, input: (0, native_12.dup)(pipeRead) });
      engine.on("message", (kind, text) => report(`svlogd: ${kind}: ${text}`));
      return engine;
    }
    function signalEngine(engine, sig) {
      if (sig === "SIGHUP")
        engine.reopen();
      else if (sig === "SIGALRM")
        engine.rotate();
      else if (sig === "SIGSTOP" || sig === "SIGCONT")
        return;
      else
        engine.stop();
    }
  }
});

// dist/runsv/lifecycle-files.js
var require_lifecycle_files = __commonJS({
  "dist/runsv/lifecycle-files.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.DEFAULT_MAINTENANCE_WINDOW = exports2.LIFECYCLE_FILES = void 0;
    exports2.parseNumber = parseNumber;
    exports2.parseSignal = parseSignal;
    exports2.readLifecycleFiles = readLifecycleFiles;
    var node_fs_12 = require("node:fs");
    var node_os_1 = require("node:os");
    var path2 = __importStar2(require("node:path"));
    exports2.LIFECYCLE_FILES = [
      "notification-fd",
      "notify-socket",
      "down-signal",
      "timeout-kill",
      "timeout-finish",
      "stop-group",
      "backoff-max",
      "maintenance-after",
      "maintenance-window"
    ];
    var FIELD = {
      "notification-fd": "notificationFd",
      "down-signal": "downSignal",
      "timeout-kill": "timeoutKill",
      "timeout-finish": "timeoutFinish",
      "backoff-max": "backoffMax",
      "maintenance-after": "maintenanceAfter",
      "maintenance-window": "maintenanceWindow"
    };
    exports2.DEFAULT_MAINTENANCE_WINDOW = 6e4;
    var MAX_MS = 2147483647;
    function parseNumber(file, text) {
      const v = text.trim();
      if (!/^\d+$/.test(v))
        return { ok: false, why: v.startsWith("-") ? "negative value" : "not a number" };
      const n = Number(v);
      switch (file) {
        case "notification-fd":
          if (n <= 2)
            return { ok: false, why: "collides with stdin, stdout or stderr" };
          if (n > 1023)
            return { ok: false, why: "out of range" };
          return { ok: true, value: n };
        case "maintenance-after":
          if (n < 1)
            return { ok: false, why: "out of range" };
          return { ok: true, value: n };
        default:
          if (n > MAX_MS)
            return { ok: false, why: "out of range" };
          return { ok: true, value: n };
      }
    }
    function parseSignal(text) {
      const v = text.trim().toUpperCase();
      if (/^\d+$/.test(v)) {
        const n2 = Number(v);
        return n2 >= 1 && n2 <= 64 ? { ok: true, value: n2 } : { ok: false, why: "out of range" };
      }
      const name = v.startsWith("SIG") ? v : "SIG" + v;
      const n = node_os_1.constants.signals[name];
      return typeof n === "number" ? { ok: true, value: n } : { ok: false, why: "not a signal" };
    }
    var MAX_VALUE_BYTES = 64;
    async function readSmall(p) {
      const fh = await node_fs_12.promises.open(p, node_fs_12.constants.O_RDONLY | node_fs_12.constants.O_NONBLOCK);
      try {
        const { bytesRead, buffer } = await fh.read(Buffer.alloc(MAX_VALUE_BYTES), 0, MAX_VALUE_BYTES, null);
        return buffer.toString("utf8", 0, bytesRead);
      } finally {
        await fh.close();
      }
    }
    async function readLifecycleFiles(dir, bad) {
      let names;
      try {
        names = await node_fs_12.promises.readdir(dir);
      } catch {
        return null;
      }
      const present = exports2.LIFECYCLE_FILES.filter((f) => names.includes(f));
      if (present.length === 0)
        return null;
      const cfg = { notifySocket: false, stopGroup: false, maintenanceWindow: exports2.DEFAULT_MAINTENANCE_WINDOW };
      for (const file of present) {
        if (file === "notify-socket") {
          cfg.notifySocket = true;
          continue;
        }
        if (file === "stop-group") {
          cfg.stopGroup = true;
          continue;
        }
        let text;
        try {
          text = await readSmall(path2.join(dir, file));
        } catch (err) {
          bad(file, "", `unable to read: ${err.code ?? String(err)}`);
          continue;
        }
        const r = file === "down-signal" ? parseSignal(text) : parseNumber(file, text);
        if (!r.ok) {
          bad(file, text.trim(), r.why);
          continue;
        }
        cfg[FIELD[file]] = r.value;
      }
      return cfg;
    }
  }
});

// dist/runsv/restart-policy.js
var require_restart_policy = __commonJS({
  "dist/runsv/restart-policy.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.FAST_MS = void 0;
    exports2.newHistory = newHistory;
    exports2.afterRun = afterRun;
    exports2.backoffPause = backoffPause;
    exports2.FAST_MS = 1e3;
    function newHistory() {
      return { fast: 0, fastEnds: [] };
    }
    function afterRun(h, policy, startedMs, endedMs) {
      if (endedMs - startedMs >= exports2.FAST_MS) {
        h.fast = 0;
        h.fastEnds = [];
        return { pauseMs: 0, maintenance: false };
      }
      h.fast++;
      const limit = policy.maintenanceAfter;
      if (limit !== void 0) {
        h.fastEnds.push(endedMs);
        if (h.fastEnds.length > limit)
          h.fastEnds.splice(0, h.fastEnds.length - limit);
        if (h.fastEnds.length >= limit && endedMs - h.fastEnds[0] <= policy.maintenanceWindow) {
          const reason = `${limit} fast failure${limit === 1 ? "" : "s"} within ${formatMs(policy.maintenanceWindow)}`;
          h.fast = 0;
          h.fastEnds = [];
          return { pauseMs: 0, maintenance: true, reason };
        }
      }
      return { pauseMs: backoffPause(h.fast, policy.backoffMax), maintenance: false };
    }
    function backoffPause(n, cap) {
      if (cap === void 0 || n <= 1)
        return exports2.FAST_MS;
      const pause = exports2.FAST_MS * 2 ** Math.min(n - 1, 30);
      return Math.max(exports2.FAST_MS, Math.min(pause, cap));
    }
    function formatMs(ms) {
      return ms % 1e3 === 0 ? `${ms / 1e3} s` : `${ms} ms`;
    }
  }
});

// dist/runsv/lifecycle.js
var require_lifecycle = __commonJS({
  "dist/runsv/lifecycle.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.ServiceLifecycle = void 0;
    var node_fs_12 = require("node:fs");
    var node_net_12 = require("node:net");
    var path2 = __importStar2(require("node:path"));
    var node_util_1 = require("node:util");
    var native_12 = require_native();
    var lifecycle_record_1 = require_lifecycle_record();
    var lifecycle_files_1 = require_lifecycle_files();
    var restart_policy_1 = require_restart_policy();
    var NOTIFICATION_FIFO = "notification";
    var SIGTERM = 15;
    var SIGKILL = 9;
    var SIGCONT = 18;
    var notifySeq = 0;
    var openFd = (0, node_util_1.promisify)(node_fs_12.open);
    var ServiceLifecycle = class {
      base;
      superviseDir;
      warn;
      setsid;
      config = null;
      writer;
      reported = /* @__PURE__ */ new Set();
      record = { pid: 0, method: null, ready: false, readySince: null, maintenance: false, maintenanceReason: null };
      history = (0, restart_policy_1.newHistory)();
      lastEndMs = 0;
      killTimer;
      finishTimer;
      // readiness channels of the current run
      fifo;
      fifoWrite;
      notifyFd;
      /** the current run leads its own process group */
      groupPid = 0;
      constructor(base, superviseDir, warn, setsid) {
        this.base = base;
        this.superviseDir = superviseDir;
        this.warn = warn;
        this.setsid = setsid;
        this.writer = new lifecycle_record_1.LifecycleWriter(superviseDir, warn);
      }
      /** Whether the folder has a lifecycle file; reads them (and reports bad values once). */
      async load() {
        this.config = await (0, lifecycle_files_1.readLifecycleFiles)(this.base, (file, value, why) => {
          const key = `${file}\0${value}\0${why}`;
          if (this.reported.has(key))
            return;
          this.reported.add(key);
          this.warn(`ignoring ./${file}: ${why}${value ? ": " + value : ""}`);
        });
        return this.config !== null;
      }
      get inMaintenance() {
        return this.record.maintenance;
      }
      /** Prepares readiness for a new ./run; what the spawn must add. */
      async beforeRun(env) {
        this.closeReadiness();
        const cfg = this.config;
        const extras = {};
        this.record.pid = 0;
        this.record.ready = false;
        this.record.readySince = null;
        this.record.method = null;
        if (!cfg)
          return extras;
        if (cfg.stopGroup && !this.setsid)
          extras.pgid = 0;
        if (cfg.notificationFd !== void 0) {
          const w = await this.openNotificationFifo();
          if (w !== void 0) {
            extras.extraFd = [cfg.notificationFd, w];
            this.record.method = "notification-fd";
          }
        }
        if (cfg.notifySocket) {
          const name = await this.openNotifySocket();
          if (name !== void 0) {
            extras.env = { ...Object.fromEntries(Object.entries(env).filter((e) => e[1] !== void 0)), NOTIFY_SOCKET: "@" + name };
            this.record.method ??= "notify-socket";
          }
        }
        return extras;
      }
      /** ./run is running as `pid`. */
      afterSpawn(pid) {
        if (this.fifoWrite !== void 0) {
          closeQuietly(this.fifoWrite);
          this.fifoWrite = void 0;
        }
        this.groupPid = this.config?.stopGroup ? pid : 0;
        this.record.pid = pid;
        this.publish();
      }
      /** ./run could not be started: nothing to listen to. */
      spawnFailed() {
        this.closeReadiness();
      }
      /** The signal that stops the service, instead of TERM. */
      get downSignal() {
        return this.config?.downSignal ?? SIGTERM;
      }
      /** Sends `sig` to the run (its whole group with stop-group). */
      signalRun(pid, sig) {
        try {
          if (this.groupPid === pid && pid > 0)
            (0, native_12.killpg)(pid, sig);
          else
            (0, native_12.kill)(pid, sig);
        } catch {
        }
      }
      /** After the down signal: KILL once timeout-kill has passed, if `pid` still runs. */
      armKill(pid, stillRunning) {
        const ms = this.config?.timeoutKill;
        if (ms === void 0 || this.killTimer)
          return;
        this.killTimer = setTimeout(() => {
          this.killTimer = void 0;
          if (!stillRunning(pid))
            return;
          this.signalRun(pid, SIGKILL);
          this.signalRun(pid, SIGCONT);
        }, ms);
      }
      /** ./finish started as `pid`: killed once timeout-finish has passed. */
      armFinish(pid, stillRunning) {
        const ms = this.config?.timeoutFinish;
        if (ms === void 0)
          return;
        clearTimeout(this.finishTimer);
        this.finishTimer = setTimeout(() => {
          this.finishTimer = void 0;
          if (!stillRunning(pid))
            return;
          try {
            (0, native_12.kill)(pid, SIGKILL);
          } catch {
          }
        }, ms);
      }
      /** The run `pid` was reaped: its readiness ends; with stop-group, what is left of its group goes too. */
      runEnded(pid) {
        clearTimeout(this.killTimer);
        this.killTimer = void 0;
        this.closeReadiness();
        if (this.groupPid === pid && pid > 0) {
          try {
            (0, native_12.killpg)(pid, SIGKILL);
          } catch {
          }
        }
        this.groupPid = 0;
        if (this.record.pid === pid) {
          this.record.ready = false;
          this.record.readySince = null;
          this.publish();
        }
      }
      finishEnded() {
        clearTimeout(this.finishTimer);
        this.finishTimer = void 0;
      }
      /** The service is down after a run: how long to pause, or maintenance. */
      afterRun(startedMs, endedMs) {
        this.lastEndMs = endedMs;
        const cfg = this.config;
        if (!cfg || cfg.backoffMax === void 0 && cfg.maintenanceAfter === void 0)
          return null;
        const d = (0, restart_policy_1.afterRun)(this.history, cfg, startedMs, endedMs);
        if (d.maintenance) {
          this.record.maintenance = true;
          this.record.maintenanceReason = d.reason;
          this.publish();
        }
        return d;
      }
      /**
       * `u` or `o` from an operator: out of maintenance, the backoff starts over,
       * and at most runit's one second after the last end is waited.
       */
      operatorStart() {
        this.history = (0, restart_policy_1.newHistory)();
        if (this.record.maintenance) {
          this.record.maintenance = false;
          this.record.maintenanceReason = null;
          this.publish();
        }
        return this.lastEndMs + 1e3;
      }
      /** Takes over the facts a previous daemon recorded for the run `pid` it left running. */
      async adopt(pid) {
        const prev = await (0, lifecycle_record_1.loadLifecycleRecord)(this.superviseDir);
        if (!prev)
          return;
        this.record.maintenance = prev.maintenance;
        this.record.maintenanceReason = prev.maintenanceReason;
        if (prev.pid !== pid || pid <= 0)
          return;
        this.record = { ...prev };
        this.groupPid = this.config?.stopGroup ? pid : 0;
        if (!prev.ready && prev.method === "notification-fd")
          void this.reopenNotificationFifo(pid);
        if (!prev.ready && prev.method === "notify-socket")
          void this.rebindNotifySocket(pid);
      }
      // the name the run was given is free again once the previous daemon is gone
      async rebindNotifySocket(pid) {
        let environ;
        try {
          environ = await node_fs_12.promises.readFile(`/proc/${pid}/environ`, "latin1");
        } catch {
          return;
        }
        const entry = environ.split("\0").find((e) => e.startsWith("NOTIFY_SOCKET=@"));
        if (!entry || this.record.pid !== pid || this.notifyFd !== void 0)
          return;
        try {
          this.listenNotify(entry.slice("NOTIFY_SOCKET=@".length));
        } catch {
        }
      }
      /** Written when the daemon stops or the folder drops its lifecycle files. */
      close() {
        clearTimeout(this.killTimer);
        clearTimeout(this.finishTimer);
        this.killTimer = this.finishTimer = void 0;
        this.closeReadiness();
      }
      settled() {
        return this.writer.settled();
      }
      // ------------------------------------------------------------ readiness
      markReady() {
        if (this.record.ready || this.record.pid === 0)
          return;
        this.record.ready = true;
        this.record.readySince = Date.now() / 1e3;
        this.publish();
        this.closeReadiness();
      }
      publish() {
        this.writer.write(this.record);
      }
      // A FIFO in supervise/, made fresh for each run, rather than a pipe: a daemon
      // that restarts (crash or re-exec) can open it again by name and still hear
      // the newline of a run it adopted.
      async openNotificationFifo() {
        const p = path2.join(this.superviseDir, NOTIFICATION_FIFO);
        try {
          await node_fs_12.promises.rm(p, { force: true });
          (0, native_12.mkfifo)(p, 384);
          this.listenFifo(await this.openFifoReader(p));
          this.fifoWrite = await openFd(p, node_fs_12.constants.O_WRONLY | node_fs_12.constants.O_NONBLOCK);
          (0, native_12.setNonblock)(this.fifoWrite, false);
          return this.fifoWrite;
        } catch (err) {
          this.warn(`unable to set up ./notification-fd: ${err.code ?? String(err)}`);
          this.closeReadiness();
          return void 0;
        }
      }
      async reopenNotificationFifo(pid) {
        try {
          const fd = await this.openFifoReader(path2.join(this.superviseDir, NOTIFICATION_FIFO));
          if (this.record.pid !== pid) {
            closeQuietly(fd);
            return;
          }
          this.listenFifo(fd);
        } catch {
        }
      }
      // O_RDWR: opening never blocks, and the FIFO never reads as ended while the daemon holds it
      async openFifoReader(p) {
        return openFd(p, node_fs_12.constants.O_RDWR | node_fs_12.constants.O_NONBLOCK);
      }
      listenFifo(fd) {
        const sock = new node_net_12.Socket({ fd, readable: true, writable: false });
        this.fifo = sock;
        sock.on("data", (chunk) => {
          if (chunk.includes(10))
            this.markReady();
        });
        sock.on("error", () => sock.destroy());
      }
      async openNotifySocket() {
        try {
          const st = await node_fs_12.promises.stat(this.base);
          const name = `runitd/notify/${st.dev}.${st.ino}/${process.pid}.${++notifySeq}`;
          this.listenNotify(name);
          return name;
        } catch (err) {
          this.warn(`unable to set up ./notify-socket: ${err.code ?? String(err)}`);
          return void 0;
        }
      }
      // sd_notify: READY=1 on a line of its own, among other assignments
      listenNotify(name) {
        this.notifyFd = (0, native_12.notifySocketOpen)(name, (text) => {
          if (/^READY=1$/m.test(text))
            this.markReady();
        });
      }
      closeReadiness() {
        if (this.fifo) {
          this.fifo.destroy();
          this.fifo = void 0;
        }
        if (this.fifoWrite !== void 0) {
          closeQuietly(this.fifoWrite);
          this.fifoWrite = void 0;
        }
        if (this.notifyFd !== void 0) {
          (0, native_12.notifySocketClose)(this.notifyFd);
          this.notifyFd = void 0;
        }
      }
    };
    exports2.ServiceLifecycle = ServiceLifecycle;
    function closeQuietly(fd) {
      (0, node_fs_12.close)(fd, () => void 0);
    }
  }
});

// dist/runsv/service-processes.js
var require_service_processes = __commonJS({
  "dist/runsv/service-processes.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.ServiceProcesses = exports2.INLINE_PID = exports2.nowMs = void 0;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var native_12 = require_native();
    var handover_12 = require_handover();
    var lifecycle_record_1 = require_lifecycle_record();
    var tai64_12 = require_tai64();
    var children_1 = require_children();
    var control_scripts_1 = require_control_scripts();
    var inline_logger_1 = require_inline_logger();
    var lifecycle_1 = require_lifecycle();
    var machine_1 = require_machine();
    var nowMs = () => performance.now();
    exports2.nowMs = nowMs;
    exports2.INLINE_PID = -2;
    var ServiceProcesses = class {
      name;
      dir;
      // How the folder is reached: /proc/self/fd/N of a descriptor held open, so a
      // renamed service folder keeps working, as runsv's chdir into it does.
      base;
      report;
      env;
      setsid;
      stderr;
      inlineLogs;
      inlineLog;
      /** only for a folder with lifecycle files (docs/lifecycle.md) */
      lifecycle;
      lifecycleFresh = false;
      main;
      log;
      logPipe;
      // a re-exec is being prepared: nothing more is started or handled
      frozen = false;
      constructor(opts) {
        this.name = opts.name;
        this.dir = opts.dir;
        this.base = opts.dir;
        this.report = opts.report;
        this.env = opts.env ?? process.env;
        this.setsid = opts.setsid === true;
        this.stderr = opts.stderr ?? "inherit";
        this.inlineLogs = opts.inlineLogs !== false;
      }
      fatal(msg) {
        return `runsv ${this.name}: fatal: ${msg}`;
      }
      warn(msg) {
        this.report(`runsv ${this.name}: warning: ${msg}`);
      }
      // ------------------------------------------------------------ lifecycle files
      /** Reads the lifecycle files; `first`: also drops a record a former configuration left. */
      async loadLifecycle(first = false) {
        if (this.lifecycleFresh) {
          this.lifecycleFresh = false;
          return;
        }
        this.lifecycleFresh = first && this.main.slot.pid === 0;
        const lc = this.lifecycle ?? new lifecycle_1.ServiceLifecycle(this.base, this.main.dir, (m) => this.warn(m), this.setsid);
        if (await lc.load()) {
          this.lifecycle = lc;
          return;
        }
        if (this.lifecycle?.inMaintenance)
          return;
        if (this.lifecycle || first) {
          this.lifecycle?.close();
          this.lifecycle = void 0;
          await (0, lifecycle_record_1.removeLifecycleRecord)(this.main.dir);
        }
      }
      // `u`/`o`: out of maintenance, and no backoff pause beyond runit's second
      operatorStart(side) {
        if (!this.lifecycle)
          return;
        const until = this.lifecycle.operatorStart();
        const s = side.slot;
        if (s.throttleUntil > until) {
          s.throttleUntil = until;
          if (side.timer)
            clearTimeout(side.timer);
          side.timer = void 0;
        }
      }
      afterReap(side, pid) {
        const lc = this.lifecycle;
        const s = side.slot;
        lc.runEnded(pid);
        lc.finishEnded();
        if (s.state !== machine_1.DOWN || s.want !== "up")
          return;
        const t = (0, exports2.nowMs)();
        const d = lc.afterRun(s.startedMs, t);
        if (!d)
          return;
        if (d.maintenance) {
          s.want = "down";
          s.throttleUntil = 0;
          s.startRequested = false;
          this.warn(`maintenance: ${d.reason}; not restarted until sv up`);
        } else if (d.pauseMs > 0)
          s.throttleUntil = Math.max(s.throttleUntil, t + d.pauseMs);
      }
      publish(side) {
        const s = side.slot;
        side.writer.publish(s.pid === exports2.INLINE_PID ? { ...s, pid: process.pid, pidFile: 0 } : s);
      }
      async run(side, steps) {
        for (const step of steps) {
          switch (step.do) {
            case "publish":
              this.publish(side);
              break;
            case "start":
              await this.startRequested(side);
              break;
            case "stop":
              await this.stop(side);
              break;
            case "signal":
              if (!await this.custom(side, step.letter)) {
                if (step.letter === "k")
                  this.signalStop(side, "SIGKILL");
                else
                  this.signal(side.slot, step.sig);
              }
              break;
          }
        }
      }
      // ------------------------------------------------------------ processes
      async startRequested(side) {
        const s = side.slot;
        if ((0, exports2.nowMs)() < s.throttleUntil) {
          s.startRequested = true;
          return;
        }
        if (s.isLog)
          await this.startLog(side);
        else
          await this.startRun(side);
      }
      async startRun(side) {
        const s = side.slot;
        if (s.pid)
          await this.stop(side);
        await this.custom(side, "u");
        s.startRequested = false;
        await this.loadLifecycle();
        const lc = this.lifecycle;
        const extras = lc ? await lc.beforeRun(this.env) : {};
        const pid = this.launch(side, machine_1.RUN, { file: "./run", argv: ["./run"], cwd: this.base, stdio: ["inherit", this.out(), this.stderr], extraFd: extras.extraFd, pgid: extras.pgid, env: extras.env }, "./run");
        if (lc && pid > 0)
          lc.afterSpawn(pid);
        else
          lc?.spawnFailed();
      }
      async startFinish(side) {
        const [code, sig] = (0, machine_1.finishArgs)(side.slot.wstat);
        const pid = this.launch(side, machine_1.FINISH, { file: "./finish", argv: ["./finish", code, sig], cwd: this.base, stdio: ["inherit", this.out(), this.stderr] }, "./finish");
        if (pid > 0)
          this.lifecycle?.armFinish(pid, (p) => side.slot.pid === p && side.slot.state === machine_1.FINISH);
      }
      async startLog(side) {
        if (!this.logPipe)
          return;
        const inline = this.inlineLogs ? await (0, inline_logger_1.readInlineLog)(path2.join(this.base, "log")) : null;
        if (!this.logPipe)
          return;
        if (inline) {
          this.startInlineLog(side, inline);
          return;
        }
        (0, native_12.setNonblock)(this.logPipe[0], false);
        this.launch(side, machine_1.RUN, { file: "./run", argv: ["./run"], cwd: path2.join(this.base, "log"), stdio: [this.logPipe[0], "inherit", this.stderr] }, "log/./run");
      }
      startInlineLog(side, inline) {
        const s = side.slot;
        s.time = (0, tai64_12.taiNow)();
        s.startedMs = (0, exports2.nowMs)();
        s.paused = false;
        s.termSent = false;
        s.state = machine_1.RUN;
        s.startTicks = void 0;
        if (this.frozen)
          return;
        let engine;
        try {
          engine = (0, inline_logger_1.createInlineEngine)(inline, this.logPipe[0], this.report);
        } catch (err) {
          this.report(`svlogd: fatal: ${err.message}`);
          s.pid = exports2.INLINE_PID;
          this.enqueueExit(side, { pid: exports2.INLINE_PID, code: 111, signal: null, status: 111 << 8 });
          return;
        }
        s.pid = exports2.INLINE_PID;
        this.inlineLog = engine;
        this.publish(side);
        void engine.start();
        void engine.done.then((code) => {
          if (this.inlineLog === engine)
            this.inlineLog = void 0;
          engine.removeAllListeners();
          this.enqueueExit(side, { pid: exports2.INLINE_PID, code, signal: null, status: code << 8 });
        });
      }
      /** stdout of ./run, ./finish and control scripts: the log pipe when there is a log service */
      out() {
        return this.logPipe ? this.logPipe[1] : "inherit";
      }
      /** Starts ./run or ./finish; its pid, or 0 when nothing started. */
      launch(side, state, plan, what) {
        if (this.frozen)
          return 0;
        const s = side.slot;
        const t = (0, exports2.nowMs)();
        if (state === machine_1.RUN) {
          s.time = (0, tai64_12.taiNow)();
          s.startedMs = t;
          s.paused = false;
        }
        s.state = state;
        s.termSent = false;
        let pid;
        try {
          pid = (0, native_12.spawn)({ ...plan, env: plan.env ?? this.env, setsid: this.setsid });
        } catch (err) {
          this.report(this.fatal(this.spawnFailure(err, what, side === this.log)));
          s.pid = -1;
          this.enqueueExit(side, { pid: -1, code: 111, signal: null, status: 111 << 8 });
          return 0;
        }
        s.pid = pid;
        s.startTicks = (0, native_12.procStat)(pid)?.startTicks;
        this.publish(side);
        const which = side === this.log ? "log" : "main";
        (0, children_1.ownChild)(pid, (exit) => this.enqueue({ kind: "exit", which, exit }));
        return pid;
      }
      enqueueExit(side, exit) {
        this.enqueue({ kind: "exit", which: side === this.log ? "log" : "main", exit });
      }
      spawnFailure(err, what, isLog) {
        const syscall = err.syscall;
        if (syscall === "chdir")
          return `unable to change directory to ./log: ${(0, errstr_1.errorText)(err)}`;
        if (syscall === "execve")
          return `unable to start ${what}: ${(0, errstr_1.errorText)(err)}`;
        return `unable to setup filedescriptor for ${isLog ? "./log/run" : "./run"}: ${(0, errstr_1.errorText)(err)}`;
      }
      async stop(side) {
        const s = side.slot;
        if (s.pid && !await this.custom(side, "t")) {
          this.signalStop(side, this.lifecycle && side === this.main ? this.lifecycle.downSignal : "SIGTERM");
          s.termSent = true;
          this.publish(side);
        }
        if (s.pid > 0 && side === this.main && s.state === machine_1.RUN)
          this.lifecycle?.armKill(s.pid, (p) => side.slot.pid === p && side.slot.state === machine_1.RUN);
        if (s.want === "down") {
          this.signalStop(side, "SIGCONT");
          await this.custom(side, "d");
        } else if (s.want === "exit") {
          this.signalStop(side, "SIGCONT");
          await this.custom(side, "x");
        }
      }
      /** A stop signal: to the run's whole process group with stop-group. */
      signalStop(side, sig) {
        const s = side.slot;
        if (side === this.main && this.lifecycle && s.pid > 0 && s.state === machine_1.RUN)
          this.lifecycle.signalRun(s.pid, typeof sig === "number" ? sig : (0, native_12.signalNumber)(sig));
        else
          this.signal(s, sig);
      }
      signal(s, sig) {
        if (s.pid === exports2.INLINE_PID) {
          if (this.inlineLog && typeof sig === "string")
            (0, inline_logger_1.signalEngine)(this.inlineLog, sig);
          return;
        }
        if (s.pid <= 0)
          return;
        try {
          (0, native_12.kill)(s.pid, sig);
        } catch {
        }
      }
      /** control/<c> for the main service (a log service has none). */
      custom(side, letter) {
        if (side.slot.isLog)
          return Promise.resolve(false);
        return (0, control_scripts_1.runControlScript)({
          base: this.base,
          env: this.env,
          setsid: this.setsid,
          stdout: this.out(),
          stderr: this.stderr,
          warn: (m) => this.warn(m),
          fatal: (m) => this.report(this.fatal(m))
        }, letter);
      }
      async canOpen(p) {
        try {
          const fh = await node_fs_12.promises.open(p, node_fs_12.constants.O_RDONLY | node_fs_12.constants.O_NONBLOCK);
          await fh.close();
          return true;
        } catch {
          return false;
        }
      }
      closeLogPipe() {
        if (!this.logPipe)
          return;
        for (const fd of this.logPipe) {
          try {
            (0, handover_12.closeKept)(fd);
          } catch (err) {
            this.warn(`unable to close logpipe: ${(0, errstr_1.errorText)(err)}`);
          }
        }
        this.logPipe = void 0;
      }
    };
    exports2.ServiceProcesses = ServiceProcesses;
  }
});

// dist/runsv/supervisor.js
var require_supervisor = __commonJS({
  "dist/runsv/supervisor.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.Supervisor = exports2.SetupError = void 0;
    var node_fs_12 = require("node:fs");
    var node_net_12 = require("node:net");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var handover_12 = require_handover();
    var publish_1 = require_publish();
    var setup_1 = require_setup();
    Object.defineProperty(exports2, "SetupError", { enumerable: true, get: function() {
      return setup_1.SetupError;
    } });
    var tai64_12 = require_tai64();
    var adopt_1 = require_adopt();
    var machine_1 = require_machine();
    var service_processes_1 = require_service_processes();
    var FREEZE_WAIT_MS = 3e3;
    function within(ms, p) {
      let timer;
      return Promise.race([p.then(() => void 0), new Promise((r) => timer = setTimeout(r, ms))]).finally(() => clearTimeout(timer));
    }
    var Supervisor = class _Supervisor extends service_processes_1.ServiceProcesses {
      dirFd;
      dirHandle;
      /** resolves when the supervisor has exited (x / term() and everything down) */
      exited;
      resolveExited;
      logClosing = false;
      done = false;
      /** processes taken over from a previous daemon at start (main and log) */
      adopted = 0;
      queue = [];
      queueHead = 0;
      draining = false;
      drained;
      /** exit events freeze() took out of the queue: handed over, or handled after a thaw */
      unhandledExits = [];
      constructor(opts) {
        super(opts);
        this.exited = new Promise((r) => this.resolveExited = r);
      }
      /** Sets up supervise/ (lock, FIFOs, status) and starts supervising. Throws SetupError on a fatal error. */
      static async start(opts) {
        const sv = new _Supervisor(opts);
        try {
          await sv.setup();
        } catch (err) {
          sv.closeAll();
          throw err;
        }
        sv.enqueue({ kind: "tick" });
        return sv;
      }
      /** SIGTERM for runsv: the same as `x` written to the control FIFO. */
      term() {
        this.enqueue({ kind: "control", which: "main", byte: "x" });
      }
      /** Past a stop deadline: KILL what still runs of the service (its group with stop-group) and its logger. */
      killNow() {
        if (this.main.slot.pid > 0)
          this.signalStop(this.main, "SIGKILL");
        if (this.log && this.log.slot.pid !== service_processes_1.INLINE_PID)
          this.signal(this.log.slot, "SIGKILL");
      }
      // ------------------------------------------------------------ setup
      async setup() {
        try {
          const fh = await node_fs_12.promises.open(this.dir, node_fs_12.constants.O_RDONLY | node_fs_12.constants.O_DIRECTORY);
          this.dirFd = fh.fd;
          this.dirHandle = fh;
        } catch (err) {
          throw new setup_1.SetupError(`unable to change to directory: ${(0, errstr_1.errorText)(err)}`);
        }
        const viaFd = `/proc/self/fd/${this.dirFd}`;
        if (await node_fs_12.promises.access(viaFd).then(() => true, () => false))
          this.base = viaFd;
        const dir = this.base;
        const now = (0, tai64_12.taiNow)();
        const t = (0, service_processes_1.nowMs)();
        const exists = (p) => node_fs_12.promises.stat(p).then(() => true, () => false);
        const mainSlot = (0, machine_1.newSlot)(false, await exists(path2.join(dir, "down")) ? "down" : "up", now, t);
        let logSlot;
        const logDir = path2.join(dir, "log");
        try {
          if ((await node_fs_12.promises.stat(logDir)).isDirectory())
            logSlot = (0, machine_1.newSlot)(true, await exists(path2.join(logDir, "down")) ? "down" : "up", now, t);
          else
            this.warn("./log: not a directory.");
        } catch (err) {
          if (err.code !== "ENOENT")
            this.warn(`unable to stat() ./log: : ${(0, errstr_1.errorText)(err)}`);
        }
        const sup = await (0, setup_1.ensureSuperviseDir)(dir, "./supervise");
        if (logSlot) {
          const fifo = await (0, setup_1.openLogPipe)(sup, "supervise");
          this.logPipe = [fifo.read, fifo.write];
        }
        this.main = { slot: mainSlot, dir: sup, writer: new publish_1.StatusWriter(sup, "supervise", (m) => this.warn(m)) };
        this.main.lock = await (0, setup_1.openLock)(sup, "supervise");
        if (logSlot) {
          const logSup = await (0, setup_1.ensureSuperviseDir)(logDir, "./log/supervise");
          this.log = { slot: logSlot, dir: logSup, writer: new publish_1.StatusWriter(logSup, "log/supervise", (m) => this.warn(m), false) };
          this.log.lock = await this.lockLog(logSup);
        }
        await this.adopt(this.main);
        if (this.log)
          await this.adopt(this.log);
        await this.loadLifecycle(true);
        if (this.lifecycle && this.main.slot.pid > 0)
          await this.lifecycle.adopt(this.main.slot.pid);
        await this.openControl(this.main, "supervise");
        this.publish(this.main);
        if (this.log) {
          await this.openControl(this.log, "log/supervise");
          this.publish(this.log);
        }
        this.main.ok = await (0, setup_1.openOk)(sup, "supervise");
        if (this.log)
          this.log.ok = await (0, setup_1.openOk)(this.log.dir, "log/supervise");
      }
      // What a previous daemon started and still runs is taken over, not started
      // twice; after a crash or a re-exec, what was asked of the service stays asked.
      async adopt(side) {
        let found;
        try {
          found = await (0, adopt_1.findPrevious)(side.dir);
        } catch {
          return;
        }
        const s = side.slot;
        const w = found.wanted;
        if (w) {
          s.want = w.want === "u" ? "up" : "down";
          s.paused = w.paused;
          if (w.state === machine_1.DOWN)
            s.time = w.time;
        }
        const a = found.process;
        if (!a)
          return;
        s.state = a.state;
        s.pid = a.pid;
        s.startTicks = a.startTicks;
        if (a.status) {
          s.time = a.status.time;
          s.want = a.status.want === "u" ? "up" : "down";
          s.paused = a.status.paused;
          s.termSent = a.status.termSent;
        }
        s.startedMs = (0, service_processes_1.nowMs)() - Math.max(0, Date.now() - (s.time.sec * 1e3 + s.time.nsec / 1e6));
        this.adopted++;
        const which = side === this.log ? "log" : "main";
        (0, adopt_1.watchAdopted)(a, (exit) => this.enqueue({ kind: "exit", which, exit }));
      }
      // runsv waits for log/supervise/lock with a blocking flock; waiting here must
      // not stop the event loop, so poll for it instead.
      async lockLog(logSup) {
        for (; ; ) {
          try {
            return await (0, setup_1.openLock)(logSup, "log/supervise");
          } catch (err) {
            if (err.code !== "EWOULDBLOCK")
              throw err;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      async openControl(side, label) {
        const fifo = await (0, setup_1.openControl)(side.dir, label);
        const socket = new node_net_12.Socket({ fd: fifo.read, readable: true, writable: false });
        const which = side === this.main ? "main" : "log";
        socket.on("data", (chunk) => {
          if (this.frozen) {
            side.held = (side.held ?? "") + chunk.toString("latin1");
            return;
          }
          for (let i = 0; i < chunk.length; i++) {
            const byte = String.fromCharCode(chunk[i]);
            if ((0, machine_1.isCommand)(byte, which === "log"))
              this.enqueue({ kind: "control", which, byte });
          }
        });
        socket.on("error", (err) => this.warn(`unable to read ${label}/control: ${(0, errstr_1.errorText)(err)}`));
        side.control = { ...fifo, socket };
      }
      // ------------------------------------------------------------ the event queue
      enqueue(ev) {
        if (this.done)
          return;
        if (this.frozen) {
          if (ev.kind === "exit")
            this.unhandledExits.push(ev);
          return;
        }
        this.queue.push(ev);
        if (!this.draining)
          void this.drain();
      }
      async drain() {
        this.draining = true;
        let handled = 0;
        while (this.queueHead < this.queue.length && !this.done && !this.frozen) {
          const ev = this.queue[this.queueHead++];
          try {
            await this.handle(ev);
            await this.tick();
          } catch (err) {
            this.warn(`internal error: ${err.stack ?? String(err)}`);
          }
          if (++handled % 64 === 0)
            await new Promise((r) => setImmediate(r));
        }
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
        this.draining = false;
        this.drained?.();
      }
      side(which) {
        return which === "log" && this.log ? this.log : this.main;
      }
      async handle(ev) {
        if (ev.kind === "tick")
          return;
        const side = this.side(ev.which);
        if (ev.kind === "control") {
          if (side === this.main && (ev.byte === "u" || ev.byte === "o"))
            this.operatorStart(side);
          await this.run(side, (0, machine_1.onControl)(side.slot, ev.byte));
          return;
        }
        const s = side.slot;
        if (ev.exit.pid !== s.pid)
          return;
        const finishUsable = !s.isLog && s.state !== machine_1.FINISH && await this.canOpen(path2.join(this.base, "finish"));
        const steps = (0, machine_1.onReaped)(s, ev.exit.status, finishUsable, (0, tai64_12.taiNow)(), (0, service_processes_1.nowMs)());
        if (side === this.main && this.lifecycle)
          this.afterReap(side, ev.exit.pid);
        await this.run(side, steps);
      }
      // The top of runsv's loop: start what should run, then see whether to exit.
      async tick() {
        const t = (0, service_processes_1.nowMs)();
        if (this.log && (0, machine_1.dueToStart)(this.log.slot, t))
          await this.startLog(this.log);
        if ((0, machine_1.dueToStart)(this.main.slot, t)) {
          if (this.main.slot.state === machine_1.FINISH)
            await this.startFinish(this.main);
          else
            await this.startRun(this.main);
        }
        for (const side of [this.log, this.main])
          if (side)
            this.armThrottle(side);
        this.checkExit();
      }
      armThrottle(side) {
        const s = side.slot;
        if (s.throttleUntil === 0 || side.timer || s.pid !== 0)
          return;
        if (!(s.want === "up" || s.startRequested || s.state === machine_1.FINISH))
          return;
        const wait = s.throttleUntil - (0, service_processes_1.nowMs)();
        if (wait <= 0)
          s.throttleUntil = 0;
        side.timer = setTimeout(() => {
          side.timer = void 0;
          this.enqueue({ kind: "tick" });
        }, Math.max(0, Math.ceil(wait)));
      }
      checkExit() {
        const m = this.main.slot;
        if (m.want !== "exit" || m.state !== machine_1.DOWN)
          return;
        if (!this.log || this.log.slot.pid === 0) {
          this.finish();
          return;
        }
        if (this.logClosing)
          return;
        this.logClosing = true;
        this.log.slot.want = "exit";
        this.publish(this.log);
        this.closeLogPipe();
      }
      // ------------------------------------------------------------ re-exec
      /**
       * Before a re-exec in place: stop handling events (control bytes stay in the
       * FIFO for the next image), let an in-process logger write out what it has
       * read (the rest stays in the log FIFO), and get the status files on disk:
       * they are what the next image takes the service over from.
       */
      async freeze() {
        this.frozen = true;
        for (const side of [this.main, this.log]) {
          if (!side)
            continue;
          if (side.timer)
            clearTimeout(side.timer);
          side.timer = void 0;
        }
        if (this.draining)
          await within(FREEZE_WAIT_MS, new Promise((r) => this.drained = r));
        const exits = [];
        const pending = this.queue.splice(this.queueHead);
        this.queue.length = 0;
        this.queueHead = 0;
        const before = { main: "", log: "" };
        for (const ev of pending) {
          if (ev.kind === "control")
            before[ev.which] += ev.byte;
          else if (ev.kind === "exit" && ev.exit.pid > 0)
            exits.push(ev.exit);
        }
        for (const which of ["main", "log"]) {
          const side = which === "log" ? this.log : this.main;
          if (side && before[which])
            side.held = before[which] + (side.held ?? "");
        }
        const engine = this.inlineLog;
        if (engine) {
          engine.stop();
          await within(FREEZE_WAIT_MS, engine.done);
        }
        await Promise.all([this.main.writer.settled(), this.log?.writer.settled()]);
        this.unhandledExits.push(...pending.filter((ev) => ev.kind === "exit"));
        return exits;
      }
      /** Just before the exec: the control bytes not handled go back into the FIFOs, in order. */
      handBack() {
        for (const side of [this.main, this.log]) {
          if (!side?.control || !side.held)
            continue;
          try {
            (0, node_fs_12.writeSync)(side.control.write, Buffer.from(side.held, "latin1"));
          } catch (err) {
            this.warn(`unable to write back to control: ${(0, errstr_1.errorText)(err)}`);
          }
          side.held = void 0;
        }
      }
      /** The re-exec failed: handle events again, and restart an in-process logger that freeze() stopped. */
      thaw() {
        if (!this.frozen)
          return;
        this.frozen = false;
        const exits = this.unhandledExits;
        this.unhandledExits = [];
        for (const ev of exits)
          this.enqueue(ev);
        for (const which of ["main", "log"]) {
          const side = which === "log" ? this.log : this.main;
          const held = side?.held ?? "";
          if (side)
            side.held = void 0;
          for (const byte of held)
            if ((0, machine_1.isCommand)(byte, which === "log"))
              this.enqueue({ kind: "control", which, byte });
        }
        if (this.log && this.log.slot.pid === service_processes_1.INLINE_PID && !this.inlineLog) {
          this.enqueueExit(this.log, { pid: service_processes_1.INLINE_PID, code: 0, signal: null, status: 0 });
        } else
          this.enqueue({ kind: "tick" });
      }
      // ------------------------------------------------------------ the end
      finish() {
        this.done = true;
        this.lifecycle?.close();
        void Promise.all([this.main.writer.settled(), this.log?.writer.settled(), this.lifecycle?.settled()]).then(() => Promise.all([(0, publish_1.markCleanEnd)(this.main.dir), this.log && (0, publish_1.markCleanEnd)(this.log.dir)])).then(() => {
          this.closeAll();
          this.resolveExited();
        });
      }
      closeAll() {
        for (const side of [this.main, this.log]) {
          if (!side)
            continue;
          if (side.timer)
            clearTimeout(side.timer);
          if (side.control) {
            (0, handover_12.forgetKept)(side.control.read);
            side.control.socket.destroy();
            (0, handover_12.closeKept)(side.control.write);
            side.control = void 0;
          }
          for (const key of ["ok", "lock"]) {
            const fd = side[key];
            if (fd !== void 0)
              (0, handover_12.closeKept)(fd);
            side[key] = void 0;
          }
        }
        this.closeLogPipe();
        if (this.dirHandle)
          void this.dirHandle.close();
        this.dirHandle = void 0;
        this.dirFd = void 0;
      }
    };
    exports2.Supervisor = Supervisor;
  }
});

// dist/runsvdir/scan.js
var require_scan2 = __commonJS({
  "dist/runsvdir/scan.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.scanFolder = scanFolder;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    async function scanFolder(dir) {
      const warnings = [];
      let names;
      try {
        names = await node_fs_12.promises.readdir(dir);
      } catch (err) {
        const code = err.code;
        const what = code === "ENOENT" || code === "ENOTDIR" || code === "EACCES" ? "open" : "read";
        return { entries: [], warnings: [`unable to ${what} directory ${dir}: ${(0, errstr_1.errorText)(err)}`], complete: false };
      }
      const entries = [];
      const seen = /* @__PURE__ */ new Set();
      const stats = await Promise.all(names.map(async (name) => {
        if (name.startsWith("."))
          return null;
        try {
          return { name, st: await node_fs_12.promises.stat(path2.join(dir, name), { bigint: true }) };
        } catch (err) {
          warnings.push(`unable to stat ${name}: ${(0, errstr_1.errorText)(err)}`);
          return null;
        }
      }));
      for (const s of stats) {
        if (!s || !s.st.isDirectory())
          continue;
        const key = `${s.st.dev}:${s.st.ino}`;
        if (seen.has(key))
          continue;
        seen.add(key);
        entries.push({ name: s.name, key });
      }
      return { entries, warnings, complete: true };
    }
  }
});

// dist/runsvdir/settle-gc.js
var require_settle_gc = __commonJS({
  "dist/runsvdir/settle-gc.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.collectWhenSettled = collectWhenSettled;
    var SETTLE_MS = 500;
    var timer;
    function collectWhenSettled() {
      const gc = globalThis.gc;
      if (typeof gc !== "function")
        return;
      if (timer)
        clearTimeout(timer);
      timer = setTimeout(() => {
        timer = void 0;
        gc();
      }, SETTLE_MS);
      timer.unref();
    }
  }
});

// dist/runsvdir/watch.js
var require_watch = __commonJS({
  "dist/runsvdir/watch.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.FolderWatch = void 0;
    exports2.linksOnPath = linksOnPath;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var MAX_LINKS = 40;
    async function linksOnPath(p) {
      const links = [];
      let cur = "/";
      const todo = path2.resolve(p).split("/").filter(Boolean);
      while (todo.length > 0) {
        const name = todo.shift();
        if (name === ".")
          continue;
        if (name === "..") {
          cur = path2.dirname(cur);
          continue;
        }
        const next = path2.join(cur, name);
        const st = await node_fs_12.promises.lstat(next);
        if (!st.isSymbolicLink()) {
          cur = next;
          continue;
        }
        if (links.length >= MAX_LINKS)
          throw Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" });
        links.push([cur, name]);
        const target = await node_fs_12.promises.readlink(next);
        if (target.startsWith("/"))
          cur = "/";
        todo.unshift(...target.split("/").filter(Boolean));
      }
      return links;
    }
    var FolderWatch = class {
      dir;
      onChange;
      onFailure;
      watchers = [];
      closed = false;
      /** `onChange` runs on every event that may change what the folder holds or is. */
      constructor(dir, onChange, onFailure) {
        this.dir = dir;
        this.onChange = onChange;
        this.onFailure = onFailure;
      }
      /** Sets up every watch; true when they cover everything (no periodic look needed). */
      async arm() {
        this.close();
        this.closed = false;
        let links;
        try {
          links = await linksOnPath(this.dir);
        } catch {
          return false;
        }
        if (this.closed)
          return false;
        try {
          this.add(this.dir, null);
          for (const [parent, name] of links)
            this.add(parent, name);
        } catch {
          this.close();
          return false;
        }
        return true;
      }
      close() {
        this.closed = true;
        for (const w of this.watchers)
          w.close();
        this.watchers = [];
      }
      add(dir, only) {
        const w = (0, node_fs_12.watch)(dir, { persistent: false }, (_event, filename) => {
          if (only === null || filename === null || filename.toString() === only)
            this.onChange();
        });
        w.on("error", () => {
          this.close();
          this.onFailure();
        });
        this.watchers.push(w);
      }
    };
    exports2.FolderWatch = FolderWatch;
  }
});

// dist/runsvdir/daemon.js
var require_daemon = __commonJS({
  "dist/runsvdir/daemon.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.ScanDir = void 0;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    var errstr_1 = require_errstr();
    var supervisor_1 = require_supervisor();
    var scan_1 = require_scan2();
    var settle_gc_1 = require_settle_gc();
    var watch_1 = require_watch();
    var ScanDir = class {
      opts;
      services = /* @__PURE__ */ new Map();
      dir;
      watch;
      /** every watch in place: no periodic look */
      watched = false;
      watchedIno = "";
      lastStamp = "";
      check = true;
      scanning = false;
      scanAgain = false;
      timer;
      recheck;
      stopped = false;
      frozen = false;
      inflight = /* @__PURE__ */ new Set();
      constructor(opts) {
        this.opts = opts;
        this.dir = opts.dir;
      }
      /** Starts watching and supervising; returns after the first scan. */
      async start() {
        await this.tick();
        this.updateTimer();
      }
      // The periodic look runs only while inotify does not cover the folder.
      updateTimer() {
        const want = !this.stopped && !this.frozen && !this.watched;
        if (want && !this.timer)
          this.timer = setInterval(() => void this.tick(), this.opts.checkEveryMs ?? 1e3);
        else if (!want && this.timer) {
          clearInterval(this.timer);
          this.timer = void 0;
        }
      }
      /** The services being supervised now, by name. */
      list() {
        return [...this.services.values()].filter((m) => !m.stopping).map((m) => ({ name: m.name, supervisor: m.supervisor }));
      }
      /** Resolves when every service the scans found so far has started (or failed to). */
      async startsSettled() {
        while (this.inflight.size > 0)
          await Promise.all([...this.inflight]);
      }
      /** How many processes the supervisors took over from a previous daemon at their start. */
      adoptedCount() {
        let n = 0;
        for (const m of this.services.values())
          n += m.supervisor?.adopted ?? 0;
        return n;
      }
      /**
       * Before a re-exec: no more scans, every supervisor frozen with its state on
       * disk. Returns the exits that were reaped but not handled yet.
       */
      async freezeAll() {
        this.frozen = true;
        this.updateTimer();
        await this.startsSettled();
        const exits = await Promise.all([...this.services.values()].map((m) => m.supervisor?.freeze() ?? []));
        return exits.flat();
      }
      /** Right before the exec, synchronously: unhandled control bytes back into their FIFOs. */
      handBackAll() {
        for (const m of this.services.values())
          m.supervisor?.handBack();
      }
      /** The re-exec did not happen: carry on. */
      thawAll() {
        this.frozen = false;
        for (const m of this.services.values())
          m.supervisor?.thaw();
        this.updateTimer();
        this.check = true;
        void this.tick();
      }
      /** Scan now, whatever the folder's mtime says (runsvdir's SIGALRM in Debian). */
      async forceRescan() {
        this.check = true;
        await this.tick();
      }
      /** Stops every service as runsv does on TERM, waits for all of them, and stops scanning. */
      async stopAll() {
        this.stopped = true;
        this.updateTimer();
        if (this.recheck)
          clearTimeout(this.recheck);
        this.watch?.close();
        const waits = [];
        for (const m of this.services.values()) {
          if (m.supervisor) {
            m.supervisor.term();
            waits.push(m.supervisor.exited);
          }
        }
        await Promise.all(waits);
      }
      /** SIGKILL to every service process still running (a stop past its deadline). */
      killAll() {
        for (const m of this.services.values())
          m.supervisor?.killNow();
      }
      warn(msg) {
        this.opts.report(`runsvdir ${this.dir}: warning: ${msg}`);
      }
      // Once a second (and on every watch event): stat the folder, rescan when it changed.
      async tick() {
        if (this.stopped || this.frozen)
          return;
        if (this.scanning) {
          this.scanAgain = true;
          return;
        }
        this.scanning = true;
        try {
          do {
            this.scanAgain = false;
            await this.lookAndScan();
          } while (this.scanAgain && !this.stopped);
        } catch (err) {
          this.warn(`internal error: ${err.stack ?? String(err)}`);
        } finally {
          this.scanning = false;
        }
      }
      async lookAndScan() {
        let st;
        try {
          st = await node_fs_12.promises.stat(this.dir, { bigint: true });
        } catch (err) {
          this.warn(`unable to stat ${this.dir}: ${(0, errstr_1.errorText)(err)}`);
          return;
        }
        if (!st.isDirectory()) {
          this.warn(`unable to change directory to ${this.dir}: ${(0, errstr_1.errorText)({ code: "ENOTDIR" })}`);
          return;
        }
        const ino = `${st.dev}:${st.ino}`;
        const stamp = `${ino}:${st.mtimeNs}`;
        if (ino !== this.watchedIno)
          await this.rewatch(ino);
        if (!this.check && stamp === this.lastStamp)
          return;
        this.lastStamp = stamp;
        this.check = false;
        await this.scan();
      }
      async rewatch(ino) {
        this.watch?.close();
        this.watchedIno = ino;
        const w = new watch_1.FolderWatch(this.dir, () => {
          this.check = true;
          void this.tick();
        }, () => {
          if (this.watch !== w)
            return;
          this.watched = false;
          this.watchedIno = "";
          this.updateTimer();
          this.check = true;
          void this.tick();
        });
        this.watch = w;
        this.watched = await w.arm();
        this.check = true;
        this.scanAgain = true;
        this.updateTimer();
      }
      // One look a second from now, as runsvdir's loop would take: a one-shot timer,
      // armed only when something needs another look (a retry, an ended supervisor).
      recheckSoon() {
        this.check = true;
        if (this.recheck || this.stopped)
          return;
        this.recheck = setTimeout(() => {
          this.recheck = void 0;
          void this.tick();
        }, this.opts.checkEveryMs ?? 1e3);
      }
      async scan() {
        const result = await (0, scan_1.scanFolder)(this.dir);
        for (const w of result.warnings)
          this.warn(w);
        if (result.warnings.length)
          this.recheckSoon();
        const present = /* @__PURE__ */ new Set();
        for (const e of result.entries) {
          present.add(e.key);
          let m = this.services.get(e.key);
          if (!m) {
            m = { key: e.key, name: e.name, starting: false, stopping: false };
            this.services.set(e.key, m);
          }
          if (!m.supervisor && !m.starting && !m.stopping) {
            const p = this.startService(m);
            this.inflight.add(p);
            void p.finally(() => {
              this.inflight.delete(p);
              if (this.inflight.size === 0)
                (0, settle_gc_1.collectWhenSettled)();
            });
          }
        }
        if (!result.complete)
          return;
        for (const m of this.services.values()) {
          if (present.has(m.key) || m.stopping)
            continue;
          this.removeService(m);
        }
      }
      async startService(m) {
        m.starting = true;
        try {
          m.supervisor = await supervisor_1.Supervisor.start({
            dir: path2.join(this.dir, m.name),
            name: m.name,
            report: this.opts.report,
            setsid: this.opts.newSessions,
            stderr: this.opts.stderr,
            env: this.opts.env,
            inlineLogs: this.opts.inlineLogs
          });
          if (this.stopped || m.stopping)
            m.supervisor.term();
          const sup = m.supervisor;
          void sup.exited.then(() => {
            if (m.supervisor === sup)
              m.supervisor = void 0;
            if (m.stopping)
              this.services.delete(m.key);
            this.recheckSoon();
          });
        } catch (err) {
          if (err instanceof supervisor_1.SetupError)
            this.opts.report(`runsv ${m.name}: fatal: ${err.message}`);
          else
            this.warn(`unable to start runsv ${m.name}: ${err.message}`);
          this.recheckSoon();
          if (m.stopping)
            this.services.delete(m.key);
        } finally {
          m.starting = false;
        }
      }
      removeService(m) {
        m.stopping = true;
        if (m.supervisor)
          m.supervisor.term();
        else if (!m.starting)
          this.services.delete(m.key);
      }
    };
    exports2.ScanDir = ScanDir;
  }
});

// dist/runsvdir/reexec.js
var require_reexec = __commonJS({
  "dist/runsvdir/reexec.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.PROBE_ENV = void 0;
    exports2.reexecSettled = reexecSettled;
    exports2.reexec = reexec;
    exports2.startTakeover = startTakeover;
    exports2.finishTakeover = finishTakeover;
    var native_12 = require_native();
    var children_1 = require_children();
    var handover_12 = require_handover();
    var EXITS_ENV = "RUNITD_HANDOVER_EXITS";
    exports2.PROBE_ENV = "RUNITD_PROBE";
    var current = null;
    async function reexecSettled() {
      while (current)
        await current;
    }
    var AT_ENV = "RUNITD_REEXEC_AT";
    var startedAfterFault = Number(process.env[AT_ENV] ?? 0);
    delete process.env[AT_ENV];
    var FAULT_REEXEC_GAP_MS = 1e4;
    function reexec(ctx, reason, fault = false) {
      if (current)
        return current;
      current = attempt(ctx, reason, fault).finally(() => current = null);
      return current;
    }
    async function attempt(ctx, reason, fault) {
      if (fault && Date.now() - startedAfterFault < FAULT_REEXEC_GAP_MS) {
        ctx.report(`${ctx.prefix}: warning: re-exec: not again within ${FAULT_REEXEC_GAP_MS / 1e3} s of the last one: ${reason}`);
        return;
      }
      ctx.report(`${ctx.prefix}: info: re-exec: ${reason}`);
      const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
      const bad = await probe(argv, ctx.env);
      if (bad) {
        ctx.report(`${ctx.prefix}: warning: re-exec: new image unusable: ${bad}`);
        return;
      }
      const exits = (0, children_1.freezeExits)();
      const unhandled = await ctx.scandir.freezeAll();
      if (ctx.cancelled()) {
        (0, children_1.thawExits)();
        ctx.scandir.thawAll();
        ctx.report(`${ctx.prefix}: info: re-exec: given up, stopping`);
        return;
      }
      const [key, fds] = (0, handover_12.prepareExec)();
      const env = {
        ...ctx.env,
        [key]: fds,
        [EXITS_ENV]: JSON.stringify([...unhandled, ...exits].map((e) => [e.pid, e.status])),
        RUNITD_NOFILE_SOFT: String(native_12.originalNofile)
      };
      if (fault)
        env[AT_ENV] = String(Date.now());
      ctx.scandir.handBackAll();
      try {
        (0, native_12.execInPlace)(process.execPath, argv, { env });
      } catch (err) {
        (0, handover_12.abortExec)();
        (0, children_1.thawExits)();
        ctx.scandir.thawAll();
        ctx.report(`${ctx.prefix}: warning: re-exec: unable to exec ${process.execPath}: ${err.message}`);
      }
    }
    async function probe(argv, env) {
      let pid;
      try {
        pid = (0, native_12.spawn)({ file: argv[0], argv, env: { ...env, [exports2.PROBE_ENV]: "1" }, stdio: ["null", "null", "null"] });
      } catch (err) {
        return err.message;
      }
      const exit = await (0, native_12.waitExit)(pid);
      if (exit.code === 0)
        return null;
      return exit.code !== null ? `probe exited ${exit.code}` : `probe died of ${exit.signal}`;
    }
    function startTakeover() {
      const text = process.env[EXITS_ENV];
      delete process.env[EXITS_ENV];
      if (!(0, handover_12.cameFromReexec)() && text === void 0)
        return false;
      let exits = [];
      try {
        exits = JSON.parse(text ?? "[]").map(([pid, status]) => (0, native_12.decodeStatus)(pid, status));
      } catch {
      }
      (0, children_1.beginTakeover)(exits);
      return true;
    }
    function finishTakeover() {
      (0, children_1.endTakeover)();
      (0, handover_12.closeUntaken)();
    }
  }
});

// dist/runsvdir/stop-deadline.js
var require_stop_deadline = __commonJS({
  "dist/runsvdir/stop-deadline.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.DEFAULT_STOP_DEADLINE_MS = void 0;
    exports2.stopDeadlineMs = stopDeadlineMs;
    exports2.stopWithin = stopWithin;
    exports2.DEFAULT_STOP_DEADLINE_MS = 6e3;
    var AFTER_KILL_MS = 700;
    function stopDeadlineMs(env, pid1, warn) {
      const raw = env.RUNITD_STOP_DEADLINE;
      if (raw === void 0 || raw === "")
        return pid1 ? exports2.DEFAULT_STOP_DEADLINE_MS : null;
      if (!/^\d+$/.test(raw)) {
        warn(`RUNITD_STOP_DEADLINE must be a number of milliseconds: ${raw}`);
        return exports2.DEFAULT_STOP_DEADLINE_MS;
      }
      return Number(raw);
    }
    function after(ms) {
      return new Promise((resolve) => setTimeout(() => resolve("late"), ms));
    }
    async function stopWithin(scandir, deadlineMs) {
      if (deadlineMs === null)
        return scandir.stopAll();
      const down = scandir.stopAll().then(() => "down");
      if (await Promise.race([down, after(deadlineMs)]) === "down")
        return;
      scandir.killAll();
      await Promise.race([down, after(AFTER_KILL_MS)]);
    }
  }
});

// dist/runsvdir/title.js
var require_title = __commonJS({
  "dist/runsvdir/title.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.TitleLog = void 0;
    var TitleLog = class {
      prefix;
      set;
      buf;
      /** `prefix` is what precedes LOG in the title, e.g. `runsvdir -P /service `. */
      constructor(prefix, log, set) {
        this.prefix = prefix;
        this.set = set;
        this.buf = Buffer.from(log, "latin1");
        this.show();
      }
      static minimumLength = 7;
      feed(data) {
        const bytes = typeof data === "string" ? Buffer.from(data) : data;
        const buf = this.buf;
        const len = buf.length;
        let changed = false;
        for (const b of bytes) {
          if (b === 0)
            continue;
          buf.copy(buf, 5, 6, len);
          buf[len - 1] = b;
          changed = true;
        }
        if (changed)
          this.show();
      }
      /** What the log part currently reads. */
      text() {
        return this.buf.toString("latin1");
      }
      show() {
        this.set(this.prefix + this.text());
      }
    };
    exports2.TitleLog = TitleLog;
  }
});

// dist/runsvdir/usable.js
var require_usable = __commonJS({
  "dist/runsvdir/usable.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.scanFolderProblem = scanFolderProblem;
    var node_fs_12 = require("node:fs");
    var errstr_1 = require_errstr();
    async function scanFolderProblem(dir) {
      try {
        const d = await node_fs_12.promises.opendir(dir);
        await d.close();
        return null;
      } catch (err) {
        return `unable to open ${dir}: ${(0, errstr_1.errorText)(err)}`;
      }
    }
  }
});

// dist/version.js
var require_version = __commonJS({
  "dist/version.js"(exports2) {
    "use strict";
    var __createBinding2 = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault2 = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar2 = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding2(result, mod, k[i]);
        }
        __setModuleDefault2(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.packageVersion = packageVersion;
    var node_fs_12 = require("node:fs");
    var path2 = __importStar2(require("node:path"));
    function packageVersion() {
      return JSON.parse((0, node_fs_12.readFileSync)(path2.join(__dirname, "..", "package.json"), "utf8")).version;
    }
  }
});

// dist/cli/own-flags.js
var require_own_flags = __commonJS({
  "dist/cli/own-flags.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.ownFlag = ownFlag;
    exports2.answerOwnFlag = answerOwnFlag;
    var node_fs_12 = require("node:fs");
    function ownFlag(argv) {
      if (argv.length !== 1)
        return null;
      if (argv[0] === "--help")
        return "help";
      if (argv[0] === "--version")
        return "version";
      return null;
    }
    function answerOwnFlag(flag, name, help) {
      const { packageVersion } = require_version();
      (0, node_fs_12.writeSync)(1, flag === "help" ? help : `${name} (runitd) ${packageVersion()}
`);
      process.exit(0);
    }
  }
});

// dist/cli/runsvdir.js
var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
  if (k2 === void 0) k2 = k;
  var desc = Object.getOwnPropertyDescriptor(m, k);
  if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
    desc = { enumerable: true, get: function() {
      return m[k];
    } };
  }
  Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
  if (k2 === void 0) k2 = k;
  o[k2] = m[k];
}));
var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
  Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
  o["default"] = v;
});
var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
  var ownKeys = function(o) {
    ownKeys = Object.getOwnPropertyNames || function(o2) {
      var ar = [];
      for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
      return ar;
    };
    return ownKeys(o);
  };
  return function(mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) {
      for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
    }
    __setModuleDefault(result, mod);
    return result;
  };
})();
Object.defineProperty(exports, "__esModule", { value: true });
var startEnv = { ...process.env };
for (const k of ["RUNITD_HANDOVER", "RUNITD_HANDOVER_EXITS", "RUNITD_PROBE", "RUNITD_REEXEC_AT"])
  delete startEnv[k];
var ownPoolSize = process.env.UV_THREADPOOL_SIZE === void 0;
if (ownPoolSize)
  process.env.UV_THREADPOOL_SIZE = "16";
var node_fs_1 = require("node:fs");
var node_net_1 = require("node:net");
var path = __importStar(require("node:path"));
var native_1 = require_native();
var handover_1 = require_handover();
var daemon_1 = require_daemon();
var reexec_1 = require_reexec();
var stop_deadline_1 = require_stop_deadline();
var title_1 = require_title();
var usable_1 = require_usable();
var tai64_1 = require_tai64();
var own_flags_1 = require_own_flags();
var HELP = `usage: runsvdir [-P] dir [log]
Supervises every service folder in dir, all in this one process (runit's runsvdir
and a runsv per service): picks up new folders, stops removed ones.
  -P    start each service in a session of its own
  log   at least seven characters: the process title shows them, then the
        latest errors (ps shows them)
TERM (or INT) stops every service and exits 0; HUP does so and exits 111;
ALRM rescans; USR2 re-executes in place, keeping every service.
`;
var argv0 = process.env.RUNITD_ARGV0 ?? "runsvdir";
delete process.env.RUNITD_ARGV0;
function writeErr(text) {
  try {
    (0, node_fs_1.writeSync)(2, text);
  } catch {
  }
}
function parseArgs(argv) {
  let i = 0;
  let newSessions = false;
  const first = argv[0];
  if (first !== void 0 && first.startsWith("-")) {
    if (first[1] === "P") {
      newSessions = true;
      i++;
    } else if (first[1] === "-") {
      i++;
    }
  }
  const dir = argv[i];
  if (dir === void 0)
    return null;
  return { newSessions, dir, log: argv[i + 1], lead: argv.slice(0, i + 1) };
}
async function main() {
  if (process.env[reexec_1.PROBE_ENV] === "1")
    process.exit(0);
  const own = (0, own_flags_1.ownFlag)(process.argv.slice(2));
  if (own)
    (0, own_flags_1.answerOwnFlag)(own, "runsvdir", HELP);
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    writeErr(`usage: ${argv0} [-P] dir

`);
    process.exit(1);
  }
  const { dir } = args;
  const nofile = (0, native_1.getrlimit)("NOFILE");
  if (nofile.soft < nofile.hard)
    (0, native_1.setrlimit)("NOFILE", nofile.hard, nofile.hard);
  let title;
  let stderrPipe;
  const report = (line) => {
    writeErr(line + "\n");
    title?.feed(line + "\n");
  };
  if (args.log !== void 0) {
    if (Buffer.byteLength(args.log) < title_1.TitleLog.minimumLength) {
      report(`runsvdir ${dir}: warning: log must have at least seven characters.`);
      report(`runsvdir ${dir}: warning: log service disabled.`);
    } else {
      title = new title_1.TitleLog(`${path.basename(argv0)} ${args.lead.join(" ")} `, args.log, (t) => process.title = t);
      const [r, w] = titlePipe();
      stderrPipe = w;
      const sock = new node_net_1.Socket({ fd: r, readable: true, writable: false });
      sock.on("data", (chunk) => {
        writeErr(chunk.toString("latin1"));
        title?.feed(chunk);
      });
      title.feed(".");
      setInterval(() => title?.feed("."), 9e5).unref();
    }
  }
  const inlineLogs = process.env.RUNITD_INLINE_LOGS !== "no";
  delete process.env.RUNITD_INLINE_LOGS;
  const takingOver = (0, reexec_1.startTakeover)();
  if (!takingOver) {
    const problem = await (0, usable_1.scanFolderProblem)(dir);
    if (problem !== null) {
      report(`runsvdir ${dir}: fatal: ${problem}`);
      process.exit(111);
    }
  }
  const stopDeadline = (0, stop_deadline_1.stopDeadlineMs)(process.env, process.pid === 1, (m) => report(`runsvdir ${dir}: warning: ${m}`));
  const env = { ...process.env };
  if (ownPoolSize)
    delete env.UV_THREADPOOL_SIZE;
  delete env.RUNITD_OOM_SCORE_ADJ;
  delete env.RUNITD_TEST_FAULTS;
  delete env.RUNITD_STOP_DEADLINE;
  shieldFromOom(report, dir);
  const scandir = new daemon_1.ScanDir({ dir, newSessions: args.newSessions, report, stderr: stderrPipe, env, inlineLogs });
  setInterval(() => void 0, 2147483647);
  let stopping = false;
  const ctx = { scandir, prefix: `runsvdir ${dir}`, report, env: startEnv, cancelled: () => stopping };
  const fault = (err) => {
    report(`runsvdir ${dir}: warning: internal error: ${err?.stack ?? String(err)}`);
    if (!stopping)
      void (0, reexec_1.reexec)(ctx, `internal error: ${err?.message ?? String(err)}`, true);
  };
  process.on("uncaughtException", fault);
  process.on("unhandledRejection", fault);
  const stopAll = (code) => {
    if (stopping)
      return;
    stopping = true;
    void (0, reexec_1.reexecSettled)().then(() => (0, stop_deadline_1.stopWithin)(scandir, stopDeadline)).then(() => process.exit(code));
  };
  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGINT", () => stopAll(0));
  process.on("SIGHUP", () => stopAll(111));
  process.on("SIGALRM", () => void forcedRescan(scandir, dir, report));
  process.on("SIGUSR2", () => {
    if (!stopping)
      void (0, reexec_1.reexec)(ctx, "requested");
  });
  process.on("SIGQUIT", () => void 0);
  const faults = process.env.RUNITD_TEST_FAULTS === "1";
  process.on("SIGUSR1", () => {
    if (faults) {
      setImmediate(() => {
        throw new Error("injected fault");
      });
    }
  });
  await scandir.start();
  if (takingOver) {
    await scandir.startsSettled();
    (0, reexec_1.finishTakeover)();
    report(`runsvdir ${dir}: info: re-exec: took over ${scandir.list().length} services`);
  } else {
    await scandir.startsSettled();
    const n = scandir.adoptedCount();
    if (n > 0)
      report(`runsvdir ${dir}: info: adopted ${n} running processes`);
  }
}
function titlePipe() {
  const r = (0, handover_1.take)("title-r");
  const w = (0, handover_1.take)("title-w");
  if (r !== void 0 && w !== void 0) {
    (0, handover_1.keep)("title-r", r);
    (0, handover_1.keep)("title-w", w);
    return [r, w];
  }
  const [pr, pw] = (0, native_1.pipe)({ nonblockRead: true });
  let rw = pw;
  try {
    rw = (0, node_fs_1.openSync)(`/proc/self/fd/${pw}`, node_fs_1.constants.O_RDWR);
    (0, node_fs_1.closeSync)(pw);
  } catch {
  }
  (0, handover_1.keep)("title-r", pr);
  (0, handover_1.keep)("title-w", rw);
  return [pr, rw];
}
function shieldFromOom(report, dir) {
  const want = process.env.RUNITD_OOM_SCORE_ADJ ?? "-1000";
  if (want === "off" || process.getuid?.() !== 0)
    return;
  if (!/^-?\d+$/.test(want) || Number(want) < -1e3 || Number(want) > 1e3) {
    report(`runsvdir ${dir}: warning: RUNITD_OOM_SCORE_ADJ must be a number from -1000 to 1000 or off`);
    return;
  }
  try {
    (0, node_fs_1.writeFileSync)("/proc/self/oom_score_adj", want);
    (0, native_1.setChildOomScoreAdj)(0);
  } catch (err) {
    const code = err.code;
    if (code !== "EACCES" && code !== "EPERM")
      report(`runsvdir ${dir}: warning: unable to set oom_score_adj: ${err.message}`);
  }
}
async function forcedRescan(scandir, dir, report) {
  await scandir.forceRescan();
  const file = path.join(dir, ".forced-rescan");
  let fh;
  try {
    fh = await node_fs_1.promises.open(file, node_fs_1.constants.O_WRONLY | node_fs_1.constants.O_CREAT | node_fs_1.constants.O_TRUNC | node_fs_1.constants.O_NONBLOCK, 420);
  } catch {
    report(`runsvdir ${dir}: warning: failed to open ${file}`);
    return;
  }
  try {
    await fh.write((0, tai64_1.formatLabel)((0, tai64_1.taiNow)()));
  } catch {
    report(`runsvdir ${dir}: warning: failed to write ${file}`);
  } finally {
    await fh.close();
  }
}
main().catch((err) => {
  writeErr(`runsvdir: fatal: ${err.stack ?? String(err)}
`);
  process.exit(100);
});
