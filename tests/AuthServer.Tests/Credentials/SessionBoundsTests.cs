using System.Net;
using AuthServer.Core.Audit;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Credentials;

/// <summary>Three sessions per credential, ended sessions kept a day, and a clock the tests move.</summary>
public sealed class SessionBoundsFixture : AuthServerFixture
{
    public const int Limit = 3;

    public AdjustableClock Clock { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["AuthServer:RefreshSessions:MaxPerCredential"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["AuthServer:RefreshSessions:KeepEndedFor"] = "1.00:00:00";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// Issue 11.8: a credential replayed by a CI loop or an attacker cannot grow the session table
/// without bound (the oldest sessions end, audited), ended sessions are deleted after a while
/// without flushing any cache, and listings come a page at a time.
/// </summary>
public class SessionBoundsTests(SessionBoundsFixture server) : IClassFixture<SessionBoundsFixture>
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<string> LoginAsync(string user, string secret, string agent = "docker/27.3.1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?account={Uri.EscapeDataString(user)}&client_id=docker&offline_token=true&service={Service}");
        request.Headers.Authorization = Basic(user, secret);
        request.Headers.UserAgent.ParseAdd(agent);
        var login = await server.Http.SendForAnswerAsync(request);
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return login.RefreshToken ?? throw new Xunit.Sdk.XunitException("no refresh_token");
    }

    private async Task<HttpStatusCode> RefreshAsync(string refreshToken) =>
        (await server.Http.PostTokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("service", Service),
            ("client_id", "docker"), ("scope", "repository:x/y:pull"))).Status;

    private Task<SessionPage> ListAsync(SessionFilter filter, int offset = 0, int limit = 500) =>
        server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().ListAsync(filter, offset, limit, CancellationToken.None));

    [Fact]
    public async Task A_login_past_the_limit_ends_the_least_recently_used_session_of_that_credential_and_audits_it()
    {
        var (user, password) = await server.NewUserAsync("lim");
        var first = await LoginAsync(user, password);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await LoginAsync(user, password);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await LoginAsync(user, password);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        // The first is used again, so the second is now the least recently used.
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(first));
        server.Clock.Advance(TimeSpan.FromSeconds(1));

        var fourth = await LoginAsync(user, password);

        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(second));
        foreach (var kept in new[] { first, third, fourth }) Assert.Equal(HttpStatusCode.OK, await RefreshAsync(kept));
        Assert.Equal(SessionBoundsFixture.Limit, (await ListAsync(new SessionFilter(User: user))).Total);
        var ended = (await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).Items.Single(s => !s.Active);
        Assert.Equal($"session ended: {RefreshSessionService.TooMany}", ended.EndReason);

        var evict = Assert.Single(await server.AuditEventsAsync(q => q.Where(e => e.Type == AuditEventTypes.SessionEvict && e.Subject == user)));
        Assert.Equal(RefreshSessionService.TooMany, evict.Reason);
        Assert.Contains(ended.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), evict.Details);
    }

    [Fact]
    public async Task Each_credential_has_its_own_limit()
    {
        var (user, password) = await server.NewUserAsync("own");
        var token = await server.NewAccessTokenAsync(user, "ci");
        var passwordLogins = new List<string>();
        var tokenLogins = new List<string>();
        for (var i = 0; i < SessionBoundsFixture.Limit; i++)
        {
            passwordLogins.Add(await LoginAsync(user, password));
            tokenLogins.Add(await LoginAsync(user, token));
        }

        // Six open sessions: the access token's logins did not push out the password's.
        Assert.Equal(2 * SessionBoundsFixture.Limit, (await ListAsync(new SessionFilter(User: user))).Total);
        foreach (var login in passwordLogins.Concat(tokenLogins)) Assert.Equal(HttpStatusCode.OK, await RefreshAsync(login));

        var (robot, secret) = await server.NewRobotAsync();
        for (var i = 0; i <= SessionBoundsFixture.Limit; i++) await LoginAsync(robot, secret);
        Assert.Equal(SessionBoundsFixture.Limit, (await ListAsync(new SessionFilter(Robot: robot))).Total);
    }

    [Fact]
    public async Task Sessions_ended_longer_ago_than_kept_are_deleted_and_no_cache_is_flushed()
    {
        var (user, password) = await server.NewUserAsync("old");
        await LoginAsync(user, password);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var open = await LoginAsync(user, password);
        var older = (await ListAsync(new SessionFilter(User: user))).Items[^1];
        await server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().RevokeAsync(older.Id, CancellationToken.None));
        var revision = await CredentialsRevisionAsync();

        // Kept while it is recent: an operator can still see why it ended.
        Assert.Equal(0, await PruneAsync());
        Assert.Equal(2, (await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).Total);

        server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True(await PruneAsync() >= 1);

        var left = Assert.Single((await ListAsync(new SessionFilter(User: user, IncludeEnded: true))).Items);
        Assert.NotEqual(older.Id, left.Id);
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(open));
        Assert.Equal(revision, await CredentialsRevisionAsync());
    }

    [Fact]
    public async Task Session_listings_come_a_page_at_a_time_most_recently_used_first_and_filtered()
    {
        var (user, password) = await server.NewUserAsync("pag");
        for (var i = 0; i < SessionBoundsFixture.Limit; i++)
        {
            await LoginAsync(user, password, agent: $"agent-{i}/1.0");
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await _api.ApiGetAsync($"/api/v1/sessions?user={user}&limit=2");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(3, first.Body.GetProperty("total").GetInt32());
        Assert.Equal(["agent-2/1.0", "agent-1/1.0"],
            first.Body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("userAgent").GetString() ?? "").ToArray());
        var rest = await _api.ApiGetAsync($"/api/v1/sessions?user={user}&offset=2&limit=2");
        Assert.Equal("agent-0/1.0", Assert.Single(rest.Body.GetProperty("items").EnumerateArray()).GetProperty("userAgent").GetString());

        var filtered = await _api.ApiGetAsync($"/api/v1/sessions?filter=AGENT-1/");
        Assert.Equal("agent-1/1.0", Assert.Single(filtered.Body.GetProperty("items").EnumerateArray()).GetProperty("userAgent").GetString());
        Assert.Equal(3, (await _api.ApiGetAsync($"/api/v1/sessions?filter={user}")).Body.GetProperty("total").GetInt32());

        foreach (var bad in new[] { "limit=0", "limit=501", "offset=-1", "limit=many" })
            Assert.Equal(HttpStatusCode.BadRequest, (await _api.ApiGetAsync($"/api/v1/sessions?{bad}")).Status);
    }

    private Task<int> PruneAsync() =>
        server.WithServiceAsync(sp => sp.GetRequiredService<RefreshSessionService>().PruneEndedAsync(CancellationToken.None));

    private Task<long> CredentialsRevisionAsync() =>
        server.WithServiceAsync(sp => sp.GetRequiredService<AuthServerDbContext>().ChangeRevisions.AsNoTracking()
            .Where(r => r.Area == ChangeRevision.Credentials).Select(r => r.Revision).SingleAsync());
}
