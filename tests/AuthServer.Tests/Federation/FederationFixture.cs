using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests.Federation;

/// <summary>A server trusting the test issuer for two robots, and one trust whose issuer is unreachable.</summary>
public class FederationFixture : AuthServerFixture, IDisposable
{
    public const string Audience = "registry.example.test";
    public const string KeylessRobot = "robot+keyless";
    public const string RefreshingRobot = "robot+keyless-refresh";
    public const string OfflineRobot = "robot+keyless-offline";
    public const string OfflineIssuer = "http://127.0.0.1:1";

    public TestIssuer Issuer { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        var f = "AuthServer:Federation:";
        settings[f + "AllowHttpLoopbackIssuers"] = "true";
        settings[f + "MetadataRefreshInterval"] = "00:00:01";
        settings[f + "FetchTimeout"] = "00:00:02";
        Trust(settings, 0, "gha-app", Issuer.Url, KeylessRobot, ("repository", "octo/app"), ("ref", "refs/heads/*"));
        Trust(settings, 1, "gha-octo", Issuer.Url, RefreshingRobot, ("repository", "octo/*"));
        settings[f + "Trusts:1:AllowRefresh"] = "true";
        settings[f + "Trusts:1:MaxTokenLifetime"] = "00:01:00";
        Trust(settings, 2, "unreachable", OfflineIssuer, OfflineRobot, ("repository", "octo/app"));
    }

    private static void Trust(Dictionary<string, string?> settings, int i, string name, string issuer, string robot, params (string Claim, string Pattern)[] claims)
    {
        var t = $"AuthServer:Federation:Trusts:{i}:";
        settings[t + "Name"] = name;
        settings[t + "Issuer"] = issuer;
        settings[t + "Audiences:0"] = Audience;
        settings[t + "Robot"] = robot;
        foreach (var (claim, pattern) in claims) settings[t + "Claims:" + claim] = pattern;
    }

    private readonly SemaphoreSlim _robots = new(1, 1);
    private bool _created;

    /// <summary>The three robots, made once, each allowed to pull and push octo/**.</summary>
    public async Task EnsureRobotsAsync()
    {
        await _robots.WaitAsync();
        try
        {
            if (_created) return;
            foreach (var login in new[] { KeylessRobot, RefreshingRobot, OfflineRobot })
            {
                await WithServiceAsync(sp => sp.GetRequiredService<RobotService>().CreateAsync(new RobotSpec(login.Split('+')[1]), CancellationToken.None));
                await this.AddRuleAsync(new Core.Policy.RuleSpec(Core.Policy.RuleEffect.Allow, $"robot:{login}", "repository", "octo/**", ["pull", "push"]));
            }
            _created = true;
        }
        finally
        {
            _robots.Release();
        }
    }

    // xunit disposes a fixture both ways; the server (DisposeAsync) first, then the issuer.
    public void Dispose()
    {
        Issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same, on a database of its own in the run's PostgreSQL.</summary>
public sealed class FederationFixtureOnPostgres : FederationFixture
{
    public override bool OnPostgres => true;
}
