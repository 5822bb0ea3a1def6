{
  "targets": [
    {
      "target_name": "runitd",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/exec.cc",
        "native/pidwatch.cc",
        "native/reaper.cc",
        "native/spawn.cc",
        "native/sys.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
