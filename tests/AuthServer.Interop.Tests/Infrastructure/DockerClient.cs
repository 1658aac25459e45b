using System.Text.Json;

namespace AuthServer.Interop.Tests.Infrastructure;

/// <summary>One person's docker CLI: the shared daemon, their own config directory (config.json).</summary>
public sealed class DockerClient(DockerDaemon daemon, string registryHost) : IDisposable
{
    public string ConfigDirectory { get; } = TempDirectory.Create("interop-docker-config");

    public Task<ProcessResult> RunAsync(params string[] args) => daemon.RunAsync(ConfigDirectory, null, args);

    public Task<ProcessResult> LoginAsync(Account account) =>
        daemon.RunAsync(ConfigDirectory, account.Password, "login", registryHost, "-u", account.Name, "--password-stdin");

    /// <summary>This client's entry for the registry in config.json, if it has one.</summary>
    public JsonElement? StoredAuth()
    {
        var path = Path.Combine(ConfigDirectory, "config.json");
        if (!File.Exists(path)) return null;
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return root.TryGetProperty("auths", out var auths) && auths.TryGetProperty(registryHost, out var entry) ? entry.Clone() : null;
    }

    /// <summary>A local image holding one small file, made with `docker import` of a tar: no base image, no network.</summary>
    public async Task ImportAsync(string reference, string content)
    {
        var tar = Path.Combine(ConfigDirectory, $"rootfs-{Guid.NewGuid():N}.tar");
        TestImages.WriteRootfsTar(tar, content);
        (await RunAsync("import", tar, reference)).EnsureSuccess();
        File.Delete(tar);
    }

    public void Dispose() => TempDirectory.Delete(ConfigDirectory);
}
