namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// The files containers/image (skopeo, podman) reads, kept in a temp directory so nothing from
/// the machine's /etc/containers or ~/.docker changes what the tests see: a signature policy that
/// accepts any image, an empty registries.conf, and an empty containers.conf.
/// </summary>
public sealed class ContainersConfig : IDisposable
{
    public ContainersConfig()
    {
        File.WriteAllText(PolicyFile, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        File.WriteAllText(RegistriesConf, "");
        File.WriteAllText(ContainersConf, "");
    }

    public string Directory { get; } = TempDirectory.Create("interop-containers");
    public string PolicyFile => Path.Combine(Directory, "policy.json");
    public string RegistriesConf => Path.Combine(Directory, "registries.conf");
    public string ContainersConf => Path.Combine(Directory, "containers.conf");

    /// <summary>A path for an auth file (REGISTRY_AUTH_FILE); it need not exist yet.</summary>
    public string NewAuthFile() => Path.Combine(Directory, $"auth-{Guid.NewGuid():N}.json");

    public Dictionary<string, string?> Environment(string authFile) => new()
    {
        ["REGISTRY_AUTH_FILE"] = authFile,
        ["CONTAINERS_REGISTRIES_CONF"] = RegistriesConf,
        ["CONTAINERS_CONF"] = ContainersConf,
        // No fallback to a docker config.json or a per-user auth file.
        ["DOCKER_CONFIG"] = Path.Combine(Directory, "no-docker-config"),
        ["XDG_RUNTIME_DIR"] = Path.Combine(Directory, "run"),
        ["HOME"] = Directory,
    };

    public void Dispose() => TempDirectory.Delete(Directory);
}

/// <summary>
/// skopeo with the suite's policy and registries.conf: plain HTTP to the loopback registry, or,
/// given a certificate directory, TLS verified against the CAs in it (<c>*.crt</c>) for the
/// registry and the token realm alike (containers/image uses one TLS setup for both).
/// </summary>
public sealed class Skopeo(ContainersConfig config)
{
    private readonly string _skopeo = Tools.Skopeo;

    /// <summary>Copies an image, e.g. from <c>oci:DIR:TAG</c> to <c>docker://HOST/REPO:TAG</c> (a push) or back (a pull).</summary>
    public Task<ProcessResult> CopyAsync(
        string source, string destination, string? srcCreds = null, string? destCreds = null, string? authFile = null, string? certDir = null)
    {
        var args = new List<string> { "--policy", config.PolicyFile, "copy" };
        args.AddRange(Tls("src", source, certDir));
        args.AddRange(Tls("dest", destination, certDir));
        if (srcCreds is not null) args.AddRange(["--src-creds", srcCreds]);
        if (destCreds is not null) args.AddRange(["--dest-creds", destCreds]);
        args.AddRange([source, destination]);
        return RunAsync(authFile, args);
    }

    /// <summary>Pulls an image into a fresh directory; anonymous unless creds or an auth file are given.</summary>
    public async Task<ProcessResult> PullAsync(string reference, string? creds = null, string? authFile = null, string? certDir = null)
    {
        var target = Path.Combine(config.Directory, $"pulled-{Guid.NewGuid():N}");
        try
        {
            return await CopyAsync($"docker://{reference}", $"dir:{target}", srcCreds: creds, authFile: authFile, certDir: certDir);
        }
        finally
        {
            TempDirectory.Delete(target);
        }
    }

    public Task<ProcessResult> DeleteAsync(string reference, string? creds = null, string? authFile = null)
    {
        var args = new List<string> { "--policy", config.PolicyFile, "delete", "--tls-verify=false" };
        if (creds is not null) args.AddRange(["--creds", creds]);
        args.Add($"docker://{reference}");
        return RunAsync(authFile, args);
    }

    /// <summary>skopeo login: the password (from stdin) checked by a token request, then kept in the auth file.</summary>
    public Task<ProcessResult> LoginAsync(string authFile, Account account, string host) =>
        RunAsync(authFile, ["login", "--tls-verify=false", "-u", account.Name, "--password-stdin", host], account.Password);

    // Only docker:// names a registry; the other transports take no TLS options.
    private static string[] Tls(string side, string image, string? certDir) =>
        !image.StartsWith("docker://", StringComparison.Ordinal) ? []
        : certDir is null ? [$"--{side}-tls-verify=false"]
        : [$"--{side}-tls-verify=true", $"--{side}-cert-dir", certDir];

    private Task<ProcessResult> RunAsync(string? authFile, List<string> args, string? stdin = null) =>
        ProcessRunner.RunAsync(_skopeo, args, config.Environment(authFile ?? config.NewAuthFile()), stdin);
}

/// <summary>
/// podman as root with vfs storage, its own root, runroot and tmpdir under a temp directory, and
/// an auth file per caller. Only import, login, push, pull and rmi are used: no container runs.
/// </summary>
public sealed class Podman(ContainersConfig config) : IDisposable
{
    private readonly string _podman = Tools.Podman;
    private readonly string _storage = TempDirectory.Create("interop-podman");

    public Task<ProcessResult> RunAsync(string authFile, string? stdin, params string[] args) =>
        ProcessRunner.RunAsync(_podman,
        [
            "--root", Path.Combine(_storage, "root"),
            "--runroot", Path.Combine(_storage, "runroot"),
            "--tmpdir", Path.Combine(_storage, "tmp"),
            "--storage-driver", "vfs",
            "--cgroup-manager", "cgroupfs",
            "--events-backend", "file",
            .. args,
        ], config.Environment(authFile), stdin);

    public void Dispose() => TempDirectory.Delete(_storage);
}
