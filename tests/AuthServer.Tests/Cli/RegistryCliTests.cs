using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Cli;

/// <summary><c>authserver demo</c> and <c>authserver registry</c>, in process; the registry also as the real executable, serving.</summary>
public sealed class RegistryCliTests : IDisposable
{
    private readonly string _data = TempDirectory.Create("cli-registry");

    public void Dispose() => TempDirectory.Delete(_data);

    [Theory]
    [InlineData("2.8", "2.8")]
    [InlineData("3", "3.x")]
    public async Task Demo_walks_the_six_steps_pushes_pulls_and_exits_zero(string mode, string shown)
    {
        var before = DemoDirectories();
        var result = await InProcessCli.RunAsync(_data, null, "demo", "--mode", mode);

        Assert.True(result.ExitCode == 0, $"demo exited {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains($"verifying tokens by distribution {shown} rules", result.Output);
        Assert.Matches(@"(?m)^  1  client -> registry +POST /v2/demo/hello/blobs/uploads/ +\(no token\)$", result.Output);
        Assert.Matches(@"(?m)^  2  registry -> client +401 Unauthorized$", result.Output);
        Assert.Matches(@"(?m)^ +WWW-Authenticate: Bearer realm=""http://127\.0\.0\.1:\d+/token"",service=""registry"",scope=""repository:demo/hello:pull,push""$", result.Output);
        Assert.Matches(@"(?m)^  3  client -> AuthServer +GET /token\?service=registry&scope=repository:demo/hello:pull,push", result.Output);
        Assert.Matches(@"(?m)^  4  AuthServer -> client +200 OK +ES256 JWT, kid ([A-Z2-7]{4}:){11}[A-Z2-7]{4}, expires in 900 s$", result.Output);
        Assert.Matches(@"(?m)^ +granted: repository:demo/hello:pull,push$", result.Output);
        Assert.Matches(@"(?m)^  5  client -> registry +POST /v2/demo/hello/blobs/uploads/ +\(Authorization: Bearer ", result.Output);
        Assert.Matches(@"(?m)^  6  registry -> client +202 Accepted$", result.Output);
        Assert.Contains("scope=\"registry:catalog:*\" error=\"insufficient_scope\"", result.Output);
        Assert.Matches(@"(?m)^Demo passed: pushed and pulled demo/hello:v1 \(sha256:[0-9a-f]{12}\.\.\.\); every digest matches\.$", result.Output);
        Assert.Equal("", result.Error);
        Assert.Equal(before, DemoDirectories());
    }

    [Fact]
    public async Task Registry_command_refuses_missing_files_and_bad_settings_with_one_line()
    {
        var missing = await InProcessCli.RunAsync(_data, null, "registry", "--bundle", Path.Combine(_data, "none.pem"));
        var mode = await InProcessCli.RunAsync(_data, null, "registry", "--mode", "4", "--bundle", "x");
        var realm = await InProcessCli.RunAsync(_data, null, "registry", "--realm", "/token", "--bundle", "x");
        var nothing = await InProcessCli.RunAsync(_data, null, "registry");

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: unable to read the certificate bundle", missing.Error);
        Assert.NotEqual(0, mode.ExitCode);
        Assert.Contains("--mode must be 2.8 or 3", mode.Error);
        Assert.Equal(1, realm.ExitCode);
        Assert.Contains("must be an absolute http or https URL", realm.Error);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("give a certificate bundle", nothing.Error);
        foreach (var r in new[] { missing, mode, realm, nothing }) Assert.DoesNotContain("   at ", r.Error);
    }

    [Fact]
    public async Task Registry_command_serves_the_challenge_for_the_given_realm()
    {
        var bundle = Path.Combine(_data, "bundle.pem");
        Assert.Equal(0, (await InProcessCli.RunAsync(_data, null, "migrate")).ExitCode);
        var export = await InProcessCli.RunAsync(_data, null, "keys", "export", "--bundle", bundle);
        Assert.Equal(0, export.ExitCode);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "authserver.dll"), "registry", "--port", "0", "--bundle", bundle, "--realm", "https://auth.example/token", "--service", "my-registry" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? "";
            var url = Regex.Match(line, @"^registry listening on (http://127\.0\.0\.1:\d+) ").Groups[1].Value;
            Assert.True(url.Length > 0, $"unexpected first line: {line}");

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var answer = await http.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/latest");

            answer.AssertChallenge("https://auth.example/token", "repository:team/app:pull", error: null, service: "my-registry");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The demo's throw-away data directories: each run removes its own.</summary>
    private static string[] DemoDirectories() => Directory.GetDirectories(Path.GetTempPath(), "authserver-demo-*").Order().ToArray();
}
