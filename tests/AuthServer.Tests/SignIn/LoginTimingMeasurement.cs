using System.Diagnostics;
using System.Net;
using AuthServer.Tests.Infrastructure;
using Xunit.Abstractions;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;
using static AuthServer.Tests.Infrastructure.FixtureExtensions;

namespace AuthServer.Tests.SignIn;

/// <summary>The shipped bcrypt cost (11), lockout out of the way, so failures can be timed at production cost.</summary>
public sealed class ProductionCostFixture : AuthServerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Passwords:WorkFactor"] = "11";
        settings["AuthServer:Lockout:Enabled"] = "false";
    }
}

/// <summary>
/// Measures, and prints, how long each kind of refusal takes over real HTTP at the default work
/// factor. The kinds alternate within each round, so a busy moment of the machine falls on both
/// alike. No timing is asserted (machines differ); the figures are quoted in docs/security.md.
/// </summary>
public class LoginTimingMeasurement(ProductionCostFixture server, ITestOutputHelper output) : IClassFixture<ProductionCostFixture>
{
    private const int Rounds = 20;

    [Fact]
    public async Task Unknown_and_known_account_failures_are_timed_side_by_side()
    {
        var (user, _) = await server.NewUserAsync("timed");
        var (robot, _) = await server.NewRobotAsync();
        // Warm-up: the connection, the dummy hash made on first use, and enough calls for the
        // runtime to compile bcrypt's loops fully (tiered compilation starts them unoptimised).
        for (var i = 0; i < 40; i++) await FailAsync(i % 2 == 0 ? "nobody" : user, "x");

        var kinds = new (string Name, Func<(string User, string Secret)> Credentials, List<double> Times)[]
        {
            ("unknown user", () => (UniqueName("nobody"), "wrong-password"), []),
            ("known user, wrong password", () => (user, "wrong-password"), []),
            ("unknown robot", () => ("robot+" + UniqueName("none"), "asrb_wrong"), []),
            ("known robot, wrong secret", () => (robot, "asrb_wrong"), []),
        };
        for (var round = 0; round < Rounds; round++)
            foreach (var (_, credentials, times) in kinds)
            {
                var (name, secret) = credentials();
                times.Add(await FailAsync(name, secret));
            }

        foreach (var (name, _, times) in kinds)
        {
            times.Sort();
            output.WriteLine($"{name,-28} median {times[Rounds / 2],7:0.0} ms  min {times[0],7:0.0} ms  max {times[^1],7:0.0} ms  ({Rounds} requests, bcrypt cost 11)");
        }
    }

    private async Task<double> FailAsync(string user, string secret)
    {
        var watch = Stopwatch.StartNew();
        var answer = await server.Http.GetTokenAsync($"service={Service}", Basic(user, secret));
        var elapsed = watch.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        return elapsed;
    }
}
