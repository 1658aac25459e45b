using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Cli;

/// <summary>
/// <c>authserver doctor --registry-config</c> against config/registry-2.8.yml, as shipped and as
/// copies pointed at a running server, then broken one setting at a time.
/// </summary>
public sealed class DoctorRegistryConfigTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>, IDisposable
{
    private readonly string _dir = TempDirectory.Create("doctor-registry");

    public void Dispose() => TempDirectory.Delete(_dir);

    private static string Shipped => Path.Combine(RepositoryRoot(), "config", "registry-2.8.yml");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AuthServer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AuthServer.sln not found above the test binaries");
    }

    /// <summary>The shipped file with realm, issuer, service and bundle set for the test server, then <paramref name="change"/>.</summary>
    private async Task<string> ConfigAsync(Func<string, string>? change = null)
    {
        var bundle = Path.Combine(_dir, "bundle.pem");
        var export = await InProcessCli.RunAsync(server.DataDirectory, null, "keys", "export", "--bundle", bundle);
        Assert.True(export.ExitCode == 0, export.Error);
        var text = (await File.ReadAllTextAsync(Shipped))
            .Replace("realm: https://auth.example.com/token", $"realm: {new Uri(server.BaseAddress, "/token")}")
            .Replace("service: registry.example.com", $"service: {AuthServerFixture.Service}")
            .Replace("issuer: https://auth.example.com", "issuer: test-issuer")
            .Replace("rootcertbundle: /etc/docker/registry/authserver-bundle.pem", $"rootcertbundle: {bundle}");
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, change is null ? text : change(text));
        return path;
    }

    // The test settings keep the bootstrap password, an error of its own (DoctorServerChecksTests); not this class's subject.
    private Task<CliProcess.Result> DoctorAsync(string config) =>
        InProcessCli.RunWithAsync(server.DataDirectory, new Dictionary<string, string?> { ["AuthServer:Bootstrap:AdminPassword"] = null },
            null, "doctor", "--registry-config", config);

    [Fact]
    public async Task A_matching_configuration_passes_with_a_line_per_check()
    {
        var result = await DoctorAsync(await ConfigAsync());
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("ok: issuer \"test-issuer\" matches", result.Output);
        Assert.Contains($"ok: service \"{AuthServerFixture.Service}\" is configured here", result.Output);
        Assert.Contains("answers as a token endpoint", result.Output);
        Assert.Contains("ok: rootcertbundle holds the active key", result.Output);
        Assert.DoesNotContain("error:", result.Output);
    }

    [Fact]
    public async Task The_shipped_example_is_refused_for_this_servers_issuer_and_service()
    {
        var result = await DoctorAsync(Shipped);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: auth.token.issuer \"https://auth.example.com\" differs from AuthServer:Tokens:Issuer \"test-issuer\"", result.Output);
        Assert.Contains("error: auth.token.service \"registry.example.com\" is not a service of this server", result.Output);
    }

    [Fact]
    public async Task An_issuer_off_by_one_byte_is_an_error_with_its_fix()
    {
        var result = await DoctorAsync(await ConfigAsync(t => t.Replace("issuer: test-issuer", "issuer: test-issuer/")));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("differs from AuthServer:Tokens:Issuer \"test-issuer\" (they must be equal byte for byte)", result.Output);
    }

    [Fact]
    public async Task A_bundle_without_the_active_key_is_an_error()
    {
        var stale = Path.Combine(_dir, "stale.pem");
        using (var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=old key", other, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(stale, certificate.ExportCertificatePem());
        }
        var result = await DoctorAsync(await ConfigAsync(t => t.Replace(Path.Combine(_dir, "bundle.pem"), stale)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("lacks the active key", result.Output);
        Assert.Contains("authserver keys export --bundle", result.Output);
    }

    [Fact]
    public async Task A_realm_that_is_not_a_token_endpoint_is_an_error()
    {
        var result = await DoctorAsync(await ConfigAsync(t => t.Replace("/token", "/healthz")));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("without a token: it is not this server's /token", result.Output);
    }

    [Fact]
    public async Task A_jwks_file_holding_another_key_under_our_kid_is_an_error()
    {
        var jwks = Path.Combine(_dir, "jwks.json");
        var export = await InProcessCli.RunAsync(server.DataDirectory, null, "keys", "export", "--jwks", jwks);
        Assert.True(export.ExitCode == 0, export.Error);
        var matching = await DoctorAsync(await ConfigAsync(t => t + $"    jwks: {jwks}\n"));
        Assert.True(matching.ExitCode == 0, matching.Output);
        Assert.Contains("ok: jwks holds the active key", matching.Output);

        var text = await File.ReadAllTextAsync(jwks);
        var x = System.Text.RegularExpressions.Regex.Match(text, "\"x\":\\s*\"(?<x>[^\"]+)\"").Groups["x"].Value;
        Assert.NotEmpty(x);
        await File.WriteAllTextAsync(jwks, text.Replace(x, new string('A', x.Length)));
        var broken = await DoctorAsync(await ConfigAsync(t => t + $"    jwks: {jwks}\n"));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("holds another key under kid", broken.Output);
    }
}
