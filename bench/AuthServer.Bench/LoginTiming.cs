using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AuthServer.Bench;

/// <summary>
/// How long each kind of refused sign-in takes over real HTTP at the server's work factor: an
/// unknown user against a known user's wrong password, an unknown robot against a known robot's
/// wrong secret. The kinds alternate within each round, so a busy moment of the machine falls on
/// all alike. The server must run with lockout off, or the refusals would turn into 429s.
/// docs/security.md quotes these figures.
/// </summary>
public static class LoginTiming
{
    private const int Rounds = 20;

    public static async Task<int> RunAsync(string baseUrl, string service, string user, string robot)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var unique = 0;
        string Unique(string prefix) => $"{prefix}{Environment.ProcessId}x{Interlocked.Increment(ref unique)}";

        // The connection, the server's dummy hash made on first use, and enough calls for tiered
        // compilation to finish optimising bcrypt's loops on the hashing threads.
        for (var i = 0; i < 40; i++) await FailAsync(http, service, i % 2 == 0 ? Unique("nobody") : user, "x");

        var kinds = new (string Name, Func<(string User, string Secret)> Credentials, List<double> Times)[]
        {
            ("unknown user", () => (Unique("nobody"), "wrong-password"), []),
            ("known user, wrong password", () => (user, "wrong-password"), []),
            ("unknown robot", () => ("robot+" + Unique("none"), "asrb_wrong"), []),
            ("known robot, wrong secret", () => (robot, "asrb_wrong"), []),
        };
        for (var round = 0; round < Rounds; round++)
            foreach (var (_, credentials, times) in kinds)
            {
                var (name, secret) = credentials();
                times.Add(await FailAsync(http, service, name, secret));
            }

        foreach (var (name, _, times) in kinds)
        {
            times.Sort();
            Console.WriteLine(FormattableString.Invariant(
                $"  {name,-28} median {times[Rounds / 2],7:0.0} ms  min {times[0],7:0.0} ms  max {times[^1],7:0.0} ms  ({Rounds} requests)"));
        }
        return 0;
    }

    private static async Task<double> FailAsync(HttpClient http, string service, string user, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?service={service}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        var watch = Stopwatch.StartNew();
        using var answer = await http.SendAsync(request);
        await answer.Content.ReadAsByteArrayAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (answer.StatusCode != HttpStatusCode.Unauthorized)
            throw new InvalidOperationException($"expected 401 for {user}, got {(int)answer.StatusCode}: is lockout off?");
        return elapsed;
    }
}
