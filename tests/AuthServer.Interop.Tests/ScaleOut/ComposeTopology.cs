using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.ScaleOut;

/// <summary>
/// deploy/compose.yaml as processes on loopback: deploy/setup.sh's certificate and .env
/// (key-encryption key, passwords); a real PostgreSQL cluster; two `authserver serve` replicas started together on
/// one empty database with the compose file's environment; its keys service's command; the real
/// registry on deploy/registry/config.yml; HAProxy on deploy/haproxy/haproxy.cfg ending TLS in
/// front of both. Only addresses, ports and file paths differ from the compose file (and bcrypt's
/// cost, and log levels).
/// </summary>
public sealed class ComposeTopology : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.Create("interop-compose");
    private readonly List<Dictionary<string, string?>> _replicaSettings = [];

    public ComposeFile Compose { get; private set; } = null!;
    public ServerProcess[] Replicas { get; } = new ServerProcess[2];
    public RegistryProcess Registry { get; private set; } = null!;
    public HaproxyProcess Proxy { get; private set; } = null!;
    public ContainersConfig Containers { get; } = new();
    public int AuthPort { get; } = FreePort.Next();
    public int RegistryPort { get; } = FreePort.Next();

    /// <summary>Where clients reach AuthServer, as https://localhost:8443 in compose.</summary>
    public Uri AuthAddress => new($"https://127.0.0.1:{AuthPort}");

    /// <summary>Where clients reach the registry, as localhost:5443 in compose.</summary>
    public string RegistryHost => $"127.0.0.1:{RegistryPort}";

    public Account Admin { get; private set; } = null!;
    public X509Certificate2 ProxyCertificate { get; private set; } = null!;

    /// <summary>A directory holding the proxy's certificate as ca.crt, for containers/image's --cert-dir.</summary>
    public string CertificateDirectory => Path.Combine(_directory, "certs");

    public async Task InitializeAsync()
    {
        (await ProcessRunner.RunAsync("sh", [Repository.PathOf("deploy/setup.sh"), _directory])).EnsureSuccess();
        Compose = ComposeFile.Load(Repository.PathOf("deploy/compose.yaml"), Path.Combine(_directory, ".env"));
        ProxyCertificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, "tls", "proxy.crt"));
        Directory.CreateDirectory(CertificateDirectory);
        File.Copy(Path.Combine(_directory, "tls", "proxy.crt"), Path.Combine(CertificateDirectory, "ca.crt"));

        var settings = ReplicaEnvironment(await PostgresCluster.SharedAsync());
        Admin = new Account("admin", settings["AuthServer__Bootstrap__AdminPassword"]!);
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        foreach (var port in ports) _replicaSettings.Add(new Dictionary<string, string?>(settings) { ["Urls"] = $"http://127.0.0.1:{port}" });
        // Both at once on the empty database, as `docker compose up` starts them.
        var started = await Task.WhenAll(_replicaSettings.Select(ServerProcess.StartAsync));
        started.CopyTo(Replicas, 0);

        var bundle = await ExportKeysAsync(settings);
        Registry = await RegistryProcess.StartWithConfigAsync(_directory, Repository.PathOf("deploy/registry/config.yml"),
            new Dictionary<string, string?>(Compose.Environment("registry"))
            {
                ["REGISTRY_HTTP_ADDR"] = "127.0.0.1:0",
                ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Path.Combine(_directory, "storage"),
                ["REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE"] = bundle,
                ["REGISTRY_AUTH_TOKEN_REALM"] = new Uri(AuthAddress, "/token").ToString(),
            });

        var proxy = Compose.Environment("proxy");
        var loopback = new Dictionary<string, string?>
        {
            ["AUTH_BIND"] = $"127.0.0.1:{AuthPort}",
            ["REGISTRY_BIND"] = $"127.0.0.1:{RegistryPort}",
            ["AUTHSERVER_1"] = $"127.0.0.1:{ports[0]}",
            ["AUTHSERVER_2"] = $"127.0.0.1:{ports[1]}",
            ["REGISTRY"] = Registry.Host,
            ["TLS_PEM"] = Path.Combine(_directory, "tls", "proxy.pem"),
        };
        Assert.Equal(proxy.Keys.Order(), loopback.Keys.Order());
        Proxy = await HaproxyProcess.StartAsync(Repository.PathOf("deploy/haproxy/haproxy.cfg"), loopback, AuthPort);
    }

    /// <summary>The replicas' environment from compose (the same for both), pointed at loopback.</summary>
    private Dictionary<string, string?> ReplicaEnvironment(PostgresCluster cluster)
    {
        var settings = Compose.Environment("authserver-1");
        Assert.Equal(settings.OrderBy(s => s.Key), Compose.Environment("authserver-2").OrderBy(s => s.Key));
        Assert.Equal(settings.OrderBy(s => s.Key), Compose.Environment("keys").OrderBy(s => s.Key));
        // Only the proxy may name the client, and compose gives it the address the replicas trust.
        Assert.Equal(Compose.Address("proxy", "backend"), settings["AuthServer__Network__TrustedProxies__0"]);

        settings["AuthServer__Database__ConnectionString"] = cluster.ConnectionString(PostgresCluster.NewDatabaseName("compose"));
        settings["AuthServer__Network__TrustedProxies__0"] = "127.0.0.1";
        settings["AuthServer__Admin__PublicUrl"] = AuthAddress.ToString().TrimEnd('/');
        // The suite's, not the deployment's: bcrypt at its lowest cost, quiet logs.
        settings["AuthServer__Passwords__WorkFactor"] = "4";
        settings["Logging__LogLevel__Default"] = "Warning";
        return settings;
    }

    /// <summary>The compose file's keys service: its command, with its /data volume in a temp directory.</summary>
    private async Task<string> ExportKeysAsync(Dictionary<string, string?> settings)
    {
        var volume = Path.Combine(_directory, "bundle");
        Directory.CreateDirectory(volume);
        var command = Compose.Command("keys").Select(w => w.StartsWith("/data/") ? Path.Combine(volume, w["/data/".Length..]) : w);
        var environment = new Dictionary<string, string?>(settings) { ["AuthServer__DataDirectory"] = volume };
        (await ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "authserver.dll"), .. command], environment)).EnsureSuccess();
        return Path.Combine(volume, "bundle.pem");
    }

    /// <summary>Starts replica <paramref name="index"/> again, on its port, after it was killed.</summary>
    public async Task RestartAsync(int index)
    {
        await Replicas[index].DisposeAsync();
        Replicas[index] = await ServerProcess.StartAsync(_replicaSettings[index]);
    }

    /// <summary>
    /// A client of the proxy that trusts only its certificate, checking the name as any client
    /// does; <paramref name="from"/> is the loopback address it connects from.
    /// </summary>
    public HttpClient ProxyClient(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && IssuedByProxy(certificate);
        if (from is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return new HttpClient(handler) { BaseAddress = AuthAddress };
    }

    private bool IssuedByProxy(X509Certificate? presented)
    {
        if (presented is null) return false;
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ProxyCertificate);
        return chain.Build(certificate);
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (Registry is not null) await Registry.DisposeAsync();
        foreach (var replica in Replicas)
            if (replica is not null) await replica.DisposeAsync();
        Containers.Dispose();
        TempDirectory.Delete(_directory);
    }
}
