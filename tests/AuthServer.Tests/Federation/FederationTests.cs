using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AuthServer.Core.Audit;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using static AuthServer.Tests.Federation.FederationFixture;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Federation;

/// <summary>
/// Keyless CI (issue 19): a CI job's OIDC ID token is accepted as a robot's password when a trust
/// for that robot matches it, against a GitHub-Actions-shaped issuer served on loopback.
/// </summary>
public class FederationTests(FederationFixture server) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => server.EnsureRobotsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<TokenClient.Answer> LoginAsync(string robot, string idToken, string scope = "repository:octo/app:pull,push", bool offline = false) =>
        server.Http.GetTokenAsync(
            $"service={Service}&account={Uri.EscapeDataString(robot)}&client_id=docker&scope={scope}" + (offline ? "&offline_token=true" : ""),
            Basic(robot, idToken));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_matching_id_token_signs_in_as_the_robot_and_gets_what_its_rules_allow(bool ec)
    {
        var idToken = server.Issuer.Token(Audience, ec: ec, lifetime: TimeSpan.FromMinutes(3));
        var granted = Granted(await server.AuditEventsAsync(q => q.Where(e => e.Credential == CredentialKind.IdToken)));

        var answer = await LoginAsync(KeylessRobot, idToken, "repository:octo/app:pull,push,delete");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(KeylessRobot, answer.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "octo/app"));
        // No longer than the ID token: 3 minutes, not the service's 15.
        Assert.InRange(answer.Body.GetProperty("expires_in").GetInt32(), 60, 180);
        Assert.Null(answer.RefreshToken);

        var events = await server.WaitForAuditAsync(q => q.Where(e => e.Credential == CredentialKind.IdToken), e => Granted(e) > granted);
        var details = events.Last(e => e.Outcome is AuditOutcome.Granted or AuditOutcome.Partial && e.Subject == KeylessRobot).Details!;
        Assert.Contains("\"trust\":\"gha-app\"", details);
        Assert.Contains($"\"issuer\":\"{server.Issuer.Url}\"", details);
        Assert.Contains("\"subject\":\"repo:octo/app:ref:refs/heads/main\"", details);
        Assert.Contains("\"repository\":\"octo/app\"", details);
        Assert.Contains("\"ref\":\"refs/heads/main\"", details);
    }

    private static int Granted(List<AuditEvent> events) => events.Count(e => e.Outcome is AuditOutcome.Granted or AuditOutcome.Partial);

    [Fact]
    public async Task Every_token_a_trust_does_not_accept_gets_the_answer_of_a_wrong_password()
    {
        var (robot, _) = await server.NewRobotAsync();
        var wrongSecret = await LoginAsync(KeylessRobot, Secrets.Generate(Secrets.RobotSecretPrefix));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        var foreignKey = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "unpublished" }, SecurityAlgorithms.RsaSha256);
        var shared = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256);
        var issuer = server.Issuer;

        var refused = new Dictionary<string, (string KeylessRobot, string Token)>
        {
            ["other audience"] = (KeylessRobot, issuer.Token("someone-else")),
            ["other repository"] = (KeylessRobot, issuer.Token(Audience, repository: "octo/other")),
            ["a tag, not a branch"] = (KeylessRobot, issuer.Token(Audience, gitRef: "refs/tags/v1")),
            ["expired"] = (KeylessRobot, issuer.Token(Audience, issuedAt: DateTime.UtcNow.AddMinutes(-30), lifetime: TimeSpan.FromMinutes(5))),
            ["not yet valid"] = (KeylessRobot, issuer.Token(Audience, issuedAt: DateTime.UtcNow.AddMinutes(30))),
            ["another issuer's name"] = (KeylessRobot, issuer.Token(Audience, issuer: "https://token.actions.githubusercontent.com")),
            ["an unpublished key"] = (KeylessRobot, issuer.Token(Audience, signWith: foreignKey)),
            ["HS256 with a made-up secret"] = (KeylessRobot, issuer.Token(Audience, signWith: shared)),
            ["alg none"] = (KeylessRobot, issuer.Token(Audience, unsigned: true)),
            ["a robot without a trust"] = (robot, issuer.Token(Audience)),
            ["a trust's token for another robot"] = (RefreshingRobot, issuer.Token(Audience, repository: "elsewhere/app")),
            ["not a JWT at all"] = (KeylessRobot, "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"),
        };
        foreach (var (what, (login, token)) in refused)
        {
            var answer = await LoginAsync(login, token);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"{what}: {answer.Status} {answer.Text}");
            Assert.Equal(wrongSecret.Text, answer.Text);
            Assert.Equal(wrongSecret.Headers.WwwAuthenticate.ToString(), answer.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_trust_that_allows_it_gives_a_refresh_session_ending_with_the_id_token_and_caps_the_token()
    {
        var idToken = server.Issuer.Token(Audience, repository: "octo/lib", lifetime: TimeSpan.FromMinutes(4));

        var login = await LoginAsync(RefreshingRobot, idToken, "repository:octo/lib:pull", offline: true);

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.InRange(login.Body.GetProperty("expires_in").GetInt32(), 1, 60);
        Assert.NotNull(login.RefreshToken);
        var session = (await server.WithServiceAsync(sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<RefreshSessionService>(sp).ListAsync(new SessionFilter(Robot: RefreshingRobot), 0, 10, CancellationToken.None))).Items.Single();
        Assert.Equal(CredentialKind.IdToken, session.Credential);
        Assert.True(session.ExpiresAt <= DateTime.UtcNow.AddMinutes(4).AddSeconds(5), $"session ends {session.ExpiresAt:o}, after the ID token");
        var refreshed = await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", login.RefreshToken!),
            ("service", Service), ("client_id", "docker"), ("scope", "repository:octo/lib:pull"));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        // The other trust does not allow refresh: an offline login gets a token and nothing more.
        var plain = await LoginAsync(KeylessRobot, server.Issuer.Token(Audience), offline: true);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Null(plain.RefreshToken);
    }

    [Fact]
    public async Task Keys_rotated_at_the_issuer_are_fetched_again_without_a_restart_and_unknown_kids_do_not_flood_it()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(KeylessRobot, server.Issuer.Token(Audience))).Status);
        server.Issuer.Rotate(dropOld: true);

        // The first token with the new key may come within the refresh interval of the last fetch.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        while ((status = (await LoginAsync(KeylessRobot, server.Issuer.Token(Audience))).Status) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(HttpStatusCode.OK, status);

        // Made-up key ids: at most one fetch per refresh interval (1 s here), however many tokens.
        var foreign = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "made-up" }, SecurityAlgorithms.RsaSha256);
        var before = server.Issuer.JwksFetches;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(KeylessRobot, server.Issuer.Token(Audience, signWith: foreign))).Status);
        var fetches = server.Issuer.JwksFetches - before;
        Assert.True(fetches <= 1 + (int)watch.Elapsed.TotalSeconds, $"{fetches} JWKS fetches for 30 tokens in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task An_unreachable_issuer_answers_503_with_retry_after_and_counts_no_failure()
    {
        var idToken = server.Issuer.Token(Audience, issuer: OfflineIssuer);

        var answer = await LoginAsync(OfflineRobot, idToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.NotNull(answer.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_id_token_is_never_logged_or_stored()
    {
        var idToken = server.Issuer.Token(Audience);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(KeylessRobot, idToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(KeylessRobot, server.Issuer.Token("someone-else"))).Status);

        var signature = idToken.Split('.')[2];
        await server.WaitForAuditAsync(q => q.Where(e => e.Credential == CredentialKind.IdToken), e => e.Count >= 2);
        Assert.DoesNotContain(signature, string.Join("\n", server.Logs.Lines));
        var audit = string.Join("\n", (await server.AuditEventsAsync()).Select(e => e.Summary() + e.Details));
        Assert.DoesNotContain(signature, audit);
        Assert.DoesNotContain(idToken.Split('.')[1], audit);
    }

    [Fact]
    public async Task Explain_says_which_trust_claims_would_meet_and_what_the_robot_would_get()
    {
        var api = server.AdminClient();
        var trusts = await api.ApiGetAsync("/api/v1/federation/trusts");
        Assert.Equal(["gha-app", "gha-octo", "unreachable"], trusts.Body.EnumerateArray().Select(t => t.GetProperty("name").GetString() ?? "").ToArray());

        var met = await api.ApiPostAsync("/api/v1/federation/explain", new
        {
            issuer = server.Issuer.Url,
            audience = Audience,
            robot = KeylessRobot,
            service = Service,
            claims = new Dictionary<string, string> { ["repository"] = "octo/app", ["ref"] = "refs/heads/release/2" },
            scopes = new[] { "repository:octo/app:pull,push,delete" },
        });
        Assert.Equal(HttpStatusCode.OK, met.Status);
        Assert.Equal("gha-app", met.Body.GetProperty("match").GetProperty("trust").GetString());
        Assert.Equal("refs/heads/release/2", met.Body.GetProperty("match").GetProperty("matchedClaims").GetProperty("ref").GetString());
        var granted = met.Body.GetProperty("access").GetProperty("scopes")[0].GetProperty("granted").EnumerateArray().Select(a => a.GetString() ?? "").ToArray();
        Assert.Equal(["pull", "push"], granted);

        var missed = await api.ApiPostAsync("/api/v1/federation/explain", new
        {
            issuer = server.Issuer.Url,
            audience = Audience,
            robot = KeylessRobot,
            claims = new Dictionary<string, string> { ["repository"] = "octo/app", ["ref"] = "refs/tags/v1" },
        });
        Assert.Equal(JsonValueKind.Null, missed.Body.GetProperty("match").GetProperty("trust").ValueKind);
        Assert.Contains(missed.Body.GetProperty("match").GetProperty("refusals").EnumerateArray(),
            r => r.GetProperty("trust").GetString() == "gha-app" && r.GetProperty("reason").GetString()!.Contains("'ref'", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.ApiPostAsync("/api/v1/federation/explain", new { audience = Audience })).Status);
    }
}
