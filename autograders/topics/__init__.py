"""One package per lecture topic: probes, judges and misconceptions side by side."""
