namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// One class's world: our server, and the real registry 2.8 trusting the bundle written by
/// `authserver keys export`. Derived fixtures add dockerd or podman, or change the key mode.
/// Everything started here is stopped in <see cref="DisposeAsync"/>.
/// </summary>
public class RegistryFixture : IAsyncLifetime
{
    private readonly string _registryDirectory = TempDirectory.Create("interop-registry");

    public AuthServerInstance Server { get; private set; } = null!;
    public RegistryProcess Registry { get; private set; } = null!;
    public ContainersConfig Containers { get; } = new();
    public Skopeo Skopeo { get; private set; } = null!;
    public RegistryApi Api { get; private set; } = null!;

    /// <summary>The bundle file the registry was started with.</summary>
    public string BundlePath => Path.Combine(_registryDirectory, "bundle.pem");

    /// <summary>host:port/repository:tag.</summary>
    public string Reference(string repository, string tag = "1") => $"{Registry.Host}/{repository}:{tag}";

    protected virtual void ConfigureServer(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Runs before our server starts: what its settings name must exist by then (a directory).</summary>
    protected virtual Task BeforeServerAsync() => Task.CompletedTask;

    /// <summary>The registry's own TLS certificate and key (PEM); null: plain http.</summary>
    protected virtual (string Certificate, string Key)? RegistryTls => null;

    /// <summary>Runs after the server has started and before the bundle is exported.</summary>
    protected virtual Task BeforeExportAsync() => Task.CompletedTask;

    /// <summary>Runs after the bundle is written and before the registry starts (a fixture may hand it another bundle).</summary>
    protected virtual Task AfterExportAsync() => Task.CompletedTask;

    protected virtual Task StartClientsAsync() => Task.CompletedTask;

    protected virtual ValueTask StopClientsAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync()
    {
        Skopeo = new Skopeo(Containers);
        await BeforeServerAsync();
        Server = await AuthServerInstance.StartAsync(ConfigureServer);
        await BeforeExportAsync();
        await Server.ExportKeysAsync(BundlePath);
        await AfterExportAsync();
        Registry = await RegistryProcess.StartAsync(_registryDirectory, Server.Realm, AuthServerInstance.Service, AuthServerInstance.Issuer, BundlePath, RegistryTls);
        Api = new RegistryApi(Registry);
        await StartClientsAsync();
    }

    public async Task DisposeAsync()
    {
        await StopClientsAsync();
        Api?.Dispose();
        if (Registry is not null) await Registry.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
        Containers.Dispose();
        TempDirectory.Delete(_registryDirectory);
    }

    /// <summary>Pushes a one-file image made on the spot, as <paramref name="account"/>, with skopeo.</summary>
    public Task PushWithSkopeoAsync(Account account, string repository, string tag = "1") =>
        PushWithSkopeoAsync(repository, tag, account.Creds, authFile: null);

    /// <summary>The same, with the credentials in an auth file.</summary>
    public Task PushWithSkopeoAsync(string authFile, string repository, string tag = "1") =>
        PushWithSkopeoAsync(repository, tag, creds: null, authFile);

    private async Task PushWithSkopeoAsync(string repository, string tag, string? creds, string? authFile)
    {
        var layout = Path.Combine(Containers.Directory, $"layout-{Guid.NewGuid():N}");
        try
        {
            var source = TestImages.WriteOciLayout(layout, tag, $"{repository}:{tag} {Guid.NewGuid()}");
            (await Skopeo.CopyAsync(source, $"docker://{Reference(repository, tag)}", destCreds: creds, authFile: authFile)).EnsureSuccess();
        }
        finally
        {
            TempDirectory.Delete(layout);
        }
    }
}

/// <summary>The registry world plus a private dockerd.</summary>
public sealed class DockerFixture : RegistryFixture
{
    public DockerDaemon Docker { get; private set; } = null!;

    /// <summary>A docker CLI with its own config directory, as one person on their machine.</summary>
    public DockerClient NewClient() => new(Docker, Registry.Host);

    protected override async Task StartClientsAsync() => Docker = await DockerDaemon.StartAsync();

    protected override async ValueTask StopClientsAsync()
    {
        if (Docker is not null) await Docker.DisposeAsync();
    }
}

/// <summary>The registry world plus podman with its own storage.</summary>
public sealed class PodmanFixture : RegistryFixture
{
    public Podman Podman { get; private set; } = null!;

    protected override Task StartClientsAsync()
    {
        Podman = new Podman(Containers);
        return Task.CompletedTask;
    }

    protected override ValueTask StopClientsAsync()
    {
        Podman?.Dispose();
        return ValueTask.CompletedTask;
    }
}
