using System.Text;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Clients;

/// <summary>
/// `docker login` end to end: docker asks for an offline token, keeps our refresh token as its
/// identity token, and from then on every token request is a POST refresh grant, until the
/// password changes and the session ends.
/// </summary>
public sealed class DockerLoginTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    private AuthServerInstance Server => fixture.Server;

    private static string IdentityToken(DockerClient docker) =>
        docker.StoredAuth()?.GetProperty("identitytoken").GetString() ?? throw new Xunit.Sdk.XunitException("config.json holds no identitytoken");

    [Fact]
    public async Task Login_asks_for_an_offline_token_and_docker_stores_the_refresh_token_not_the_password()
    {
        var user = await Server.NewUserAsync("dana");
        using var docker = fixture.NewClient();

        var mark = Server.Requests.Mark();
        var login = (await docker.LoginAsync(user)).EnsureSuccess();
        Assert.Contains("Login Succeeded", login.Output);

        var request = Assert.Single(Server.Requests.Since(mark));
        Assert.Equal(("GET", "Basic", user.Name, 200), (request.Method, request.AuthorizationScheme, request.BasicUser, request.Status));
        Assert.Equal("true", request.QueryValue("offline_token"));
        Assert.Equal("docker", request.QueryValue("client_id"));
        Assert.Equal(user.Name, request.QueryValue("account"));
        Assert.Equal(AuthServerInstance.Service, request.QueryValue("service"));
        Assert.Empty(request.QueryValues("scope"));

        var stored = docker.StoredAuth()!.Value;
        Assert.StartsWith("asrt_", IdentityToken(docker));
        // auth is "user:" with no password: the password is not kept anywhere.
        Assert.Equal($"{user.Name}:", Encoding.UTF8.GetString(Convert.FromBase64String(stored.GetProperty("auth").GetString()!)));
    }

    [Fact]
    public async Task After_login_push_and_pull_use_the_refresh_grant_with_one_scope_field()
    {
        var user = await Server.NewUserAsync("erin");
        using var docker = fixture.NewClient();
        var image = fixture.Reference($"{user.Name}/app");
        await docker.ImportAsync(image, $"erin {Guid.NewGuid()}");
        (await docker.LoginAsync(user)).EnsureSuccess();
        var identityToken = IdentityToken(docker);

        var mark = Server.Requests.Mark();
        (await docker.RunAsync("push", image)).EnsureSuccess();
        var push = Server.Requests.Since(mark);
        AssertRefreshGrants(push, identityToken);
        Assert.Contains(push, r => r.FormValue("scope") == $"repository:{user.Name}/app:push,pull");

        (await docker.RunAsync("rmi", image)).EnsureSuccess();
        mark = Server.Requests.Mark();
        var pull = (await docker.RunAsync("pull", image)).EnsureSuccess();
        Assert.Contains("Downloaded newer image", pull.Output);
        var pullRequests = Server.Requests.Since(mark);
        AssertRefreshGrants(pullRequests, identityToken);
        Assert.Contains(pullRequests, r => r.FormValue("scope") == $"repository:{user.Name}/app:pull");
    }

    [Fact]
    public async Task Password_change_ends_the_login_until_the_user_logs_in_again()
    {
        var user = await Server.NewUserAsync("fred");
        using var docker = fixture.NewClient();
        var image = fixture.Reference($"{user.Name}/app");
        await docker.ImportAsync(image, $"fred {Guid.NewGuid()}");
        (await docker.LoginAsync(user)).EnsureSuccess();
        var firstToken = IdentityToken(docker);
        (await docker.RunAsync("push", image)).EnsureSuccess();
        (await docker.RunAsync("rmi", image)).EnsureSuccess();

        var newPassword = $"pw-{Guid.NewGuid():N}";
        (await Server.CliAsync(["user", "passwd", user.Name, "--password-stdin"], newPassword)).EnsureSuccess();

        var mark = Server.Requests.Mark();
        var refused = await docker.RunAsync("pull", image);
        refused.EnsureRefused("unauthorized");
        var ended = Assert.Single(Server.Requests.Since(mark));
        Assert.Equal(("POST", "refresh_token", 401), (ended.Method, ended.FormValue("grant_type"), ended.Status));

        (await docker.LoginAsync(user with { Password = newPassword })).EnsureSuccess();
        Assert.NotEqual(firstToken, IdentityToken(docker));
        (await docker.RunAsync("pull", image)).EnsureSuccess();
    }

    private void AssertRefreshGrants(IReadOnlyList<RecordedTokenRequest> requests, string identityToken)
    {
        Assert.NotEmpty(requests);
        foreach (var r in requests)
        {
            var shape = (r.Method, r.AuthorizationScheme, r.FormValue("grant_type"), r.FormValue("client_id"), r.FormValues("scope").Length, r.Status);
            Assert.True(shape == ("POST", null, "refresh_token", "docker", 1, 200), Server.Requests.Describe(requests));
            Assert.Equal(identityToken, r.FormValue("refresh_token"));
            Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType);
        }
    }
}
