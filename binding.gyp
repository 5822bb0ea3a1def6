{
  "target_defaults": {
    "defines": ["_GNU_SOURCE"],
    "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"]
  },
  "targets": [
    {
      "target_name": "runitd",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/exec.cc",
        "native/heap.cc",
        "native/listdir.cc",
        "native/makefifo.cc",
        "native/notify.cc",
        "native/pidwatch.cc",
        "native/posix.cc",
        "native/readfiles.cc",
        "native/readwatch.cc",
        "native/reaper.cc",
        "native/replace.cc",
        "native/spawn.cc",
        "native/sys.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-fexceptions"]
    },
    # chpst runs in the exec path of nearly every run script: a program of its own
    # (no Node), with the parts of libstdc++ it uses linked in, which starts faster
    # and smaller than one loading libstdc++.so
    {
      "target_name": "chpst",
      "type": "executable",
      "sources": [
        "native/chpst/main.cc",
        "native/chpst/changes.cc",
        "native/chpst/env.cc",
        "native/chpst/ids.cc",
        "native/chpst/messages.cc",
        "native/chpst/numbers.cc",
        "native/chpst/personalities.cc",
        "native/chpst/sgetopt.cc",
        "native/exec.cc",
        "native/posix.cc"
      ],
      "defines": ["RUNITD_VERSION=<!(node -p \"require('./package.json').version\")"],
      "ldflags!": ["-rdynamic"],
      "ldflags": ["-static-libstdc++", "-static-libgcc"]
        },
    # runit's init programs: process 1 must not be a runtime that can abort
    # (see native/runit/runit.cc), and the helpers beside it are as small
    {
      "target_name": "runit",
      "type": "executable",
      "sources": ["native/runit/runit.cc", "native/runit/paths.cc", "native/runit/say.cc", "native/chpst/messages.cc"],
      "ldflags!": ["-rdynamic"],
      "ldflags": ["-static-libstdc++", "-static-libgcc"]
    },
    {
      "target_name": "runit-init",
      "type": "executable",
      "sources": ["native/runit/runit-init.cc", "native/runit/paths.cc", "native/runit/say.cc", "native/chpst/messages.cc"],
      "ldflags!": ["-rdynamic"],
      "ldflags": ["-static-libstdc++", "-static-libgcc"]
    },
    {
      "target_name": "runsvchdir",
      "type": "executable",
      "sources": ["native/runit/runsvchdir.cc", "native/runit/paths.cc", "native/runit/say.cc", "native/chpst/messages.cc"],
      "ldflags!": ["-rdynamic"],
      "ldflags": ["-static-libstdc++", "-static-libgcc"]
    },
    {
      "target_name": "utmpset",
      "type": "executable",
      "sources": ["native/runit/utmpset.cc", "native/runit/say.cc", "native/chpst/messages.cc"],
      "ldflags!": ["-rdynamic"],
      "ldflags": ["-static-libstdc++", "-static-libgcc"]
    }
  ]
}
