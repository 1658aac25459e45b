using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class AuditApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    [Fact]
    public async Task Events_filter_by_subject_outcome_service_and_time_and_page_back()
    {
        var (user, password) = await server.NewUserAsync("tom");
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 3; i++)
            await server.Http.GetTokenAsync($"service={Service}&scope=repository:elsewhere/app:push", Basic(user, password));
        await server.Http.GetTokenAsync($"service={ShortService}&scope=repository:{user}/app:pull", Basic(user, password));
        await server.WaitForAuditAsync(user, 5);

        var partial = await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&outcome=Partial&service={Service}");
        var items = partial.Body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(3, items.Length);
        Assert.All(items, e => Assert.Equal("partial", e.GetProperty("outcome").GetString()));
        Assert.All(items, e => Assert.Equal("repository:elsewhere/app:push", e.GetProperty("requestedScopes").GetString()));

        var page1 = await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&type=token&limit=2&from={Uri.EscapeDataString(start.ToString("O"))}");
        var ids1 = page1.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(2, ids1.Length);
        Assert.True(ids1[0] > ids1[1]);
        var next = page1.Body.GetProperty("nextBeforeId").GetInt64();
        var page2 = await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&type=token&limit=2&beforeId={next}");
        var ids2 = page2.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(2, ids2.Length);
        Assert.True(ids2.Max() < ids1.Min());
        var page3 = await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&type=token&limit=2&beforeId={page2.Body.GetProperty("nextBeforeId").GetInt64()}");
        Assert.Empty(page3.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page3.Body.GetProperty("nextBeforeId").ValueKind);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        Assert.Empty((await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&from={future}")).Body.GetProperty("items").EnumerateArray());
        var until = Uri.EscapeDataString(start.ToString("O"));
        Assert.Empty((await _api.ApiGetAsync($"/api/v1/audit/events?subject={user}&type=token&to={until}")).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Bad_filters_are_400_naming_the_field()
    {
        Assert.NotEmpty((await _api.ApiGetAsync("/api/v1/audit/events?outcome=sideways")).FieldErrors("outcome"));
        Assert.NotEmpty((await _api.ApiGetAsync("/api/v1/audit/events?limit=0")).FieldErrors("limit"));
        Assert.NotEmpty((await _api.ApiGetAsync("/api/v1/audit/events?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z")).FieldErrors("from"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.ApiGetAsync("/api/v1/audit/events?from=yesterday")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.ApiGetAsync("/api/v1/audit/events?beforeId=x")).Status);
    }
}

public sealed class AuditApiTests(AuthServerFixture server) : AuditApiTests<AuthServerFixture>(server);

public sealed class AuditApiTestsOnPostgres(AuthServerOnPostgres server) : AuditApiTests<AuthServerOnPostgres>(server);
