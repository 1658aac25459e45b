namespace AuthServer.TestSupport;

/// <summary>
/// The real programs the suite drives. A missing one fails the fixture that needs it, so every
/// test of that class fails with the install hint: nothing here is ever skipped.
/// </summary>
public static class Tools
{
    public static string DockerRegistry => Require("docker-registry", "docker-registry");
    public static string Skopeo => Require("skopeo", "skopeo");
    public static string Podman => Require("podman", "podman");
    public static string Dockerd => Require("dockerd", "docker.io");
    public static string OpenSsl => Require("openssl", "openssl");
    public static string Haproxy => Require("haproxy", "haproxy");

    /// <summary>The client from the same Debian package as dockerd, when present; else the docker on PATH.</summary>
    public static string Docker => File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : Require("docker", "docker.io");

    /// <summary>The program's path; a missing one fails the test with the install hint (never a skip, CI=true or not).</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new Xunit.Sdk.XunitException(
            $"{name} is not installed: apt-get install {debianPackage} (./test.sh installs it when run as root); this test does not skip" +
            (Environment.GetEnvironmentVariable("CI") == "true" ? " under CI=true" : ""));

    public static string? Find(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        // dockerd lives in /usr/sbin, which a non-login PATH may lack.
        return path.Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
