using System.Text.RegularExpressions;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>
/// The real distribution registry (Debian's docker-registry, 2.8.2) in token mode: it trusts the
/// certificates `authserver keys export` wrote, stores blobs in a temp directory, and listens on a
/// loopback port it chooses itself and prints.
/// </summary>
public sealed partial class RegistryProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private RegistryProcess(BackgroundProcess process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }
    public int Port { get; }

    /// <summary>host:port as clients name the registry in image references.</summary>
    public string Host => $"127.0.0.1:{Port}";
    public bool Tls { get; private init; }
    public Uri BaseAddress => new($"{(Tls ? "https" : "http")}://{Host}");

    /// <summary>What the registry logged: each request with the user from the token's sub.</summary>
    public string Log => _process.Output;

    /// <param name="tls">The registry's own certificate and key (PEM): it then serves https only.</param>
    public static async Task<RegistryProcess> StartAsync(
        string directory, Uri realm, string service, string issuer, string rootCertBundle, (string Certificate, string Key)? tls = null)
    {
        var config = Path.Combine(directory, "config.yml");
        // Under http:, indented as the lines of the config below once the raw string's indentation is removed.
        var https = tls is { } files ? $"\n  tls:\n    certificate: \"{files.Certificate}\"\n    key: \"{files.Key}\"" : "";
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              formatter: text
            storage:
              filesystem:
                rootdirectory: "{Path.Combine(directory, "storage")}"
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
              secret: "{Guid.NewGuid():N}"{https}
            auth:
              token:
                realm: "{realm}"
                service: "{service}"
                issuer: "{issuer}"
                rootcertbundle: "{rootCertBundle}"
            """);
        var registry = await StartWithConfigAsync(directory, config, new Dictionary<string, string?>());
        return tls is null ? registry : registry.WithTls();
    }

    private RegistryProcess WithTls() => new(_process, Directory, Port) { Tls = true };

    /// <summary>Starts the registry on a given config.yml; REGISTRY_* variables override its settings.</summary>
    public static async Task<RegistryProcess> StartWithConfigAsync(string directory, string config, IReadOnlyDictionary<string, string?> environment)
    {
        var process = BackgroundProcess.Start("docker-registry", Tools.DockerRegistry, ["serve", config], environment);
        try
        {
            // 2.8 prints the address it bound, so port 0 is safe from races with other processes.
            var listening = await process.WaitForOutputAsync(ListeningRegex(), TimeSpan.FromSeconds(30));
            return new RegistryProcess(process, directory, int.Parse(listening.Groups["port"].Value));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningRegex();
}
