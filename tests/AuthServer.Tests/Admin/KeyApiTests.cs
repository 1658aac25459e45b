using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Admin;

public abstract class KeyApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _api = server.AdminClient();

    private async Task<string> TokenKidAsync() =>
        (await server.Http.GetTokenAsync($"service={Service}", Basic(AdminName, AdminPassword))).Token.Header.GetProperty("kid").GetString()!;

    [Fact]
    public async Task Rotation_next_key_exported_then_activated_signs_the_next_token()
    {
        var before = await TokenKidAsync();
        var next = await _api.ApiPostAsync("/api/v1/keys", new { algorithm = "ES256" });
        Assert.Equal(HttpStatusCode.Created, next.Status);
        Assert.Equal("next", next.Body.GetProperty("state").GetString());
        var kid = next.Body.GetProperty("kid").GetString()!;

        var bundle = await _api.ApiGetAsync("/api/v1/keys/bundle");
        Assert.Equal("application/x-pem-file", bundle.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(bundle.Text.Split("-----BEGIN CERTIFICATE-----").Length - 1 >= 2);
        var jwks = await _api.ApiGetAsync("/api/v1/keys/jwks");
        Assert.Contains(jwks.Body.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal(before, await TokenKidAsync());

        var activated = await _api.ApiPostAsync($"/api/v1/keys/{kid}/activate");
        Assert.Equal("active", activated.Body.GetProperty("state").GetString());
        Assert.Equal(kid, await TokenKidAsync());
        var keys = (await _api.ApiGetAsync("/api/v1/keys")).Body.EnumerateArray().ToArray();
        Assert.Equal("retired", keys.Single(k => k.GetProperty("kid").GetString() == before).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync($"/api/v1/keys/{kid}/retire")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApiPostAsync($"/api/v1/keys/{before}/activate")).Status);
    }

    [Fact]
    public async Task A_next_key_can_be_retired_unknown_keys_are_404_and_bad_algorithms_400()
    {
        var next = await _api.ApiPostAsync("/api/v1/keys", new { });
        var kid = next.Body.GetProperty("kid").GetString()!;
        Assert.Equal("retired", (await _api.ApiPostAsync($"/api/v1/keys/{kid}/retire")).Body.GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/keys/AAAA:BBBB/activate")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ApiPostAsync("/api/v1/keys/AAAA:BBBB/retire")).Status);
        Assert.NotEmpty((await _api.ApiPostAsync("/api/v1/keys", new { algorithm = "HS256" })).FieldErrors("algorithm"));
    }
}

public sealed class KeyApiTests(AuthServerFixture server) : KeyApiTests<AuthServerFixture>(server);

public sealed class KeyApiTestsOnPostgres(AuthServerOnPostgres server) : KeyApiTests<AuthServerOnPostgres>(server);
