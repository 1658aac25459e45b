// The suite drives Linux tools (skopeo, the distribution registry) and checks Unix file modes.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
