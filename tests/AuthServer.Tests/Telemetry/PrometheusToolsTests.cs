using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Telemetry;

/// <summary>
/// Debian's prometheus and promtool against what we ship: the alert rules (checked and unit
/// tested), the /metrics page (linted), and a real Prometheus server scraping this one and
/// answering a query about a counter.
/// </summary>
public class PrometheusToolsTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    private static string DeployPrometheus
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AuthServer.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("AuthServer.sln not found above the test binaries"), "deploy", "prometheus");
        }
    }

    [Fact]
    public async Task Shipped_alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var home = TempDirectory.Create("promtool");
        try
        {
            var check = await ExternalTool.RunAsync(promtool, home, ToolTimeout, "check", "rules", Path.Combine(DeployPrometheus, "alerts.yml"));
            Assert.True(check.ExitCode == 0, check.ToString());
            var test = await ExternalTool.RunAsync(promtool, home, ToolTimeout, "test", "rules", Path.Combine(DeployPrometheus, "alerts.test.yml"));
            Assert.True(test.ExitCode == 0, test.ToString());
        }
        finally
        {
            TempDirectory.Delete(home);
        }
    }

    [Fact]
    public async Task Metrics_page_passes_promtool_check_metrics()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        await server.Http.GetTokenAsync($"service={Service}&scope=repository:lint/a:pull", Basic(AdminName, AdminPassword));
        var page = await server.Http.GetStringAsync("/metrics");

        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(page);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var findings = ((await output) + (await error)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Exit 3 is lint findings only (1 would be a page Prometheus cannot parse). The runtime's
        // own names are fixed by .NET (dotnet.process.cpu.count becomes dotnet_process_cpu_count,
        // which the linter dislikes); ours must have none.
        Assert.True(process.ExitCode is 0 or 3, $"promtool check metrics: exit {process.ExitCode}\n{string.Join('\n', findings)}");
        Assert.All(findings, f => Assert.StartsWith("dotnet_", f));
    }

    [Fact]
    public async Task A_real_Prometheus_scrapes_the_server_and_answers_a_query_for_the_token_counter()
    {
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        var home = TempDirectory.Create("prometheus");
        var port = FreePort.Next();
        var config = Path.Combine(home, "prometheus.yml");
        File.Copy(Path.Combine(DeployPrometheus, "alerts.yml"), Path.Combine(home, "alerts.yml"));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [alerts.yml]
            scrape_configs:
              - job_name: authserver
                static_configs:
                  - targets: ["{server.BaseAddress.Authority}"]
            """);
        var start = new ProcessStartInfo(prometheus,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(home, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = home,
        };
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEndAsync();
        try
        {
            await server.Http.GetTokenAsync($"service={Service}&scope=repository:prom/a:pull", Basic(AdminName, AdminPassword));
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            // Polls until Prometheus has started, scraped and stored a sample (a few scrape intervals).
            double? granted = null;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (granted is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                granted = await QueryAsync(api, "sum(authserver_token_requests_total{job=\"authserver\",outcome=\"granted\"})");
                if (granted is null) await Task.Delay(500);
            }
            Assert.True(granted >= 1, $"no granted token requests in Prometheus (exited: {process.HasExited})");

            // The shipped rules load into the real server.
            var rules = await api.GetFromJsonAsync<JsonElement>("/api/v1/rules");
            var loaded = rules.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).ToList();
            Assert.Contains("AuthServerTokenErrors", loaded);
            Assert.Contains("AuthServerSigningCertificateExpiring", loaded);

            // Every query of the shipped Grafana dashboard is one this Prometheus accepts.
            using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DeployPrometheus, "..", "grafana", "authserver.json")));
            var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
                .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
            Assert.NotEmpty(queries);
            foreach (var query in queries)
            {
                using var answer = await api.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
                Assert.True(answer.IsSuccessStatusCode, $"{query}: {await answer.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            _ = await log;
            TempDirectory.Delete(home);
        }
    }

    private static async Task<double?> QueryAsync(HttpClient api, string query)
    {
        try
        {
            var answer = await api.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            var result = answer.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 0) return null;
            return double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
