using System.Net;
using AuthServer.Tests.Infrastructure;
using static AuthServer.Tests.Infrastructure.AuthServerFixture;

namespace AuthServer.Tests.Tokens;

public abstract class PostTokenTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : AuthServerFixture
{
    private readonly HttpClient _http = server.Http;

    [Fact]
    public async Task Password_grant_with_one_space_separated_scope_field_as_docker_sends_it()
    {
        var answer = await _http.PostTokenAsync(
            ("grant_type", "password"), ("username", AdminName), ("password", AdminPassword), ("service", Service),
            ("client_id", "containerd-client"), ("scope", "repository:a/b:pull,push repository:c/d:pull"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["pull", "push"], answer.Token.ActionsFor("repository", "a/b"));
        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "c/d"));
        Assert.Equal(answer.Body.GetProperty("token").GetString(), answer.Body.GetProperty("access_token").GetString());
        Assert.Equal("repository:a/b:pull,push repository:c/d:pull", answer.Body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Repeated_scope_fields_as_containers_image_sends_them()
    {
        var answer = await _http.PostTokenAsync(
            ("grant_type", "password"), ("username", AdminName), ("password", AdminPassword), ("service", Service),
            ("scope", "repository:a/b:pull"), ("scope", "repository:c/d:push"));

        Assert.Equal(["pull"], answer.Token.ActionsFor("repository", "a/b"));
        Assert.Equal(["push"], answer.Token.ActionsFor("repository", "c/d"));
    }

    [Fact]
    public async Task Empty_scope_field_gives_a_token_with_no_access()
    {
        var answer = await _http.PostTokenAsync(
            ("grant_type", "password"), ("username", AdminName), ("password", AdminPassword), ("service", Service), ("scope", ""));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(answer.Token.Access);
        Assert.Equal("", answer.Body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Content_type_with_charset_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new StringContent($"grant_type=password&username={AdminName}&password={AdminPassword}&service={Service}"),
        };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        Assert.Equal(HttpStatusCode.OK, (await _http.SendForAnswerAsync(request)).Status);
    }

    [Fact]
    public async Task Wrong_password_in_the_form_is_401()
    {
        var answer = await _http.PostTokenAsync(
            ("grant_type", "password"), ("username", AdminName), ("password", "nope"), ("service", Service));
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHORIZED", answer.ErrorCode);
    }

    [Fact]
    public async Task Offline_password_grant_returns_a_refresh_token_that_the_refresh_grant_accepts()
    {
        var (user, password) = await server.NewUserAsync("gina");
        var login = await _http.PostTokenAsync(
            ("grant_type", "password"), ("username", user), ("password", password), ("service", Service),
            ("client_id", "containerd-client"), ("access_type", "offline"));
        var refreshToken = login.RefreshToken;
        Assert.NotNull(refreshToken);
        Assert.StartsWith("asrt_", refreshToken);

        var refreshed = await _http.PostTokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken!), ("service", Service),
            ("client_id", "docker"), ("scope", $"repository:{user}/app:pull,push"));

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(refreshToken, refreshed.RefreshToken);
        Assert.Equal(user, refreshed.Token.Payload.GetProperty("sub").GetString());
        Assert.Equal(["pull", "push"], refreshed.Token.ActionsFor("repository", $"{user}/app"));
    }
}

public sealed class PostTokenTests(AuthServerFixture server) : PostTokenTests<AuthServerFixture>(server);

public sealed class PostTokenTestsOnPostgres(AuthServerOnPostgres server) : PostTokenTests<AuthServerOnPostgres>(server);
