using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Deployment;

/// <summary>
/// The shipped examples work together: the real registry 2.8 starts on config/registry-2.8.yml
/// (only paths, address and realm overridden through its REGISTRY_* variables) and accepts tokens
/// from a server set up with config/appsettings.example.json's issuer and service.
/// </summary>
public sealed class RegistryConfigTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create("interop-example");

    private static readonly string Registry28 = File.ReadAllText(Repository.PathOf("config/registry-2.8.yml"));
    private static readonly string Registry3 = File.ReadAllText(Repository.PathOf("config/registry-3.yml"));

    public void Dispose() => TempDirectory.Delete(_directory);

    private static string Setting(string yaml, string name) =>
        Regex.Match(yaml, $@"^\s*{name}:\s*(?<value>\S+)\s*$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups["value"].Value : throw new Xunit.Sdk.XunitException($"no {name}: in the registry config");

    [Fact]
    public async Task Registry_28_example_config_accepts_tokens_from_the_example_settings()
    {
        var example = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("config/appsettings.example.json"))).RootElement.GetProperty("AuthServer").GetProperty("Tokens");
        var issuer = example.GetProperty("Issuer").GetString()!;
        var service = example.GetProperty("Services")[0].GetProperty("Name").GetString()!;
        Assert.Equal((issuer, service), (Setting(Registry28, "issuer"), Setting(Registry28, "service")));

        using var containers = new ContainersConfig();
        await using var server = await AuthServerInstance.StartAsync(s =>
        {
            s["AuthServer:Tokens:Issuer"] = issuer;
            s["AuthServer:Tokens:Services:0:Name"] = service;
        });
        var bundle = Path.Combine(_directory, "bundle.pem");
        await server.ExportKeysAsync(bundle);
        await using var registry = await RegistryProcess.StartWithConfigAsync(_directory, Repository.PathOf("config/registry-2.8.yml"), new Dictionary<string, string?>
        {
            ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Path.Combine(_directory, "storage"),
            ["REGISTRY_HTTP_ADDR"] = "127.0.0.1:0",
            ["REGISTRY_AUTH_TOKEN_REALM"] = server.Realm.ToString(),
            ["REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE"] = bundle,
        });
        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        using var ping = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.Equal((server.Realm.ToString(), service), (Challenge.From(ping)?.Realm, Challenge.From(ping)?.Service));

        var admin = new Account(AuthServerInstance.AdminName, AuthServerInstance.AdminPassword);
        var skopeo = new Skopeo(containers);
        var source = TestImages.WriteOciLayout(Path.Combine(_directory, "layout"), "1", "example config");
        (await skopeo.CopyAsync(source, $"docker://{registry.Host}/library/example:1", destCreds: admin.Creds)).EnsureSuccess();
        (await skopeo.PullAsync($"{registry.Host}/library/example:1", admin.Creds)).EnsureSuccess();
    }

    [Fact]
    public void Registry_3_example_names_the_same_realm_service_and_issuer_and_a_jwks_file()
    {
        foreach (var name in new[] { "realm", "service", "issuer" })
            Assert.Equal(Setting(Registry28, name), Setting(Registry3, name));
        Assert.EndsWith(".json", Setting(Registry3, "jwks"));
        Assert.EndsWith(".pem", Setting(Registry3, "rootcertbundle"));
    }
}
