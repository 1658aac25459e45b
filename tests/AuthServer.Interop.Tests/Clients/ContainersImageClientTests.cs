using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Clients;

/// <summary>
/// podman and skopeo (containers/image): podman login keeps the password and sends it as Basic
/// on every GET; an auth file holding an identity token (as docker login writes it) makes podman
/// and skopeo use POST refresh grants instead.
/// Either way a password change locks the client out until it logs in again.
/// </summary>
public sealed class ContainersImageClientTests(PodmanFixture fixture) : IClassFixture<PodmanFixture>
{
    private AuthServerInstance Server => fixture.Server;
    private Podman Podman => fixture.Podman;

    private Task<ProcessResult> PodmanLoginAsync(string authFile, Account account) =>
        Podman.RunAsync(authFile, account.Password, "login", "--tls-verify=false", "-u", account.Name, "--password-stdin", fixture.Registry.Host);

    private async Task ImportAsync(string authFile, string image)
    {
        var tar = Path.Combine(fixture.Containers.Directory, $"rootfs-{Guid.NewGuid():N}.tar");
        TestImages.WriteRootfsTar(tar, $"{image} {Guid.NewGuid()}");
        (await Podman.RunAsync(authFile, null, "import", tar, image)).EnsureSuccess();
        File.Delete(tar);
    }

    [Fact]
    public async Task Podman_logs_in_pushes_and_pulls_with_basic_credentials()
    {
        var user = await Server.NewUserAsync("gina");
        var authFile = fixture.Containers.NewAuthFile();
        var image = fixture.Reference($"{user.Name}/app");
        await ImportAsync(authFile, image);

        var mark = Server.Requests.Mark();
        Assert.Contains("Login Succeeded", (await PodmanLoginAsync(authFile, user)).EnsureSuccess().Output);
        var login = Assert.Single(Server.Requests.Since(mark));
        Assert.Equal(("GET", "Basic", user.Name, 200), (login.Method, login.AuthorizationScheme, login.BasicUser, login.Status));
        Assert.Equal(user.Name, login.QueryValue("account"));
        // containers/image never asks for a refresh token, so podman stores the password itself.
        Assert.Null(login.QueryValue("offline_token"));
        var stored = JsonDocument.Parse(File.ReadAllText(authFile)).RootElement.GetProperty("auths").GetProperty(fixture.Registry.Host);
        Assert.Equal(user.Creds, Encoding.UTF8.GetString(Convert.FromBase64String(stored.GetProperty("auth").GetString()!)));

        mark = Server.Requests.Mark();
        (await Podman.RunAsync(authFile, null, "push", "--tls-verify=false", image)).EnsureSuccess();
        var push = Server.Requests.Since(mark);
        Assert.All(push, r => Assert.Equal(("GET", user.Name, 200), (r.Method, r.BasicUser, r.Status)));
        Assert.Contains(push, r => r.QueryValues("scope").SequenceEqual([$"repository:{user.Name}/app:pull,push"]));

        (await Podman.RunAsync(authFile, null, "rmi", image)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "pull", "--tls-verify=false", image)).EnsureSuccess();
        Assert.Contains(image, (await Podman.RunAsync(authFile, null, "images", "--format", "{{.Repository}}:{{.Tag}}")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Podman_is_locked_out_by_a_password_change_until_it_logs_in_again()
    {
        var user = await Server.NewUserAsync("hugo");
        var authFile = fixture.Containers.NewAuthFile();
        var image = fixture.Reference($"{user.Name}/app");
        await ImportAsync(authFile, image);
        (await PodmanLoginAsync(authFile, user)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "push", "--tls-verify=false", image)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "rmi", image)).EnsureSuccess();

        var newPassword = $"pw-{Guid.NewGuid():N}";
        (await Server.CliAsync(["user", "passwd", user.Name, "--password-stdin"], newPassword)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "pull", "--tls-verify=false", image)).EnsureRefused("unauthorized");

        (await PodmanLoginAsync(authFile, user with { Password = newPassword })).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "pull", "--tls-verify=false", image)).EnsureSuccess();
    }

    [Fact]
    public async Task Podman_with_an_identity_token_in_its_auth_file_uses_the_refresh_grant_until_the_password_changes()
    {
        var user = await Server.NewUserAsync("jane");
        var authFile = fixture.Containers.NewAuthFile();
        var identityToken = await LoginLikeDockerAsync(user);
        WriteIdentityTokenAuthFile(authFile, user, identityToken);
        var image = fixture.Reference($"{user.Name}/app");
        await ImportAsync(authFile, image);

        var mark = Server.Requests.Mark();
        (await Podman.RunAsync(authFile, null, "push", "--tls-verify=false", image)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "rmi", image)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "pull", "--tls-verify=false", image)).EnsureSuccess();
        AssertRefreshGrants(Server.Requests.Since(mark), identityToken, user);

        (await Podman.RunAsync(authFile, null, "rmi", image)).EnsureSuccess();
        var newPassword = $"pw-{Guid.NewGuid():N}";
        (await Server.CliAsync(["user", "passwd", user.Name, "--password-stdin"], newPassword)).EnsureSuccess();
        (await Podman.RunAsync(authFile, null, "pull", "--tls-verify=false", image)).EnsureRefused("unauthorized");
    }

    [Fact]
    public async Task Skopeo_with_an_identity_token_in_its_auth_file_uses_the_refresh_grant()
    {
        var user = await Server.NewUserAsync("ivy");
        var authFile = fixture.Containers.NewAuthFile();
        var identityToken = await LoginLikeDockerAsync(user);
        WriteIdentityTokenAuthFile(authFile, user, identityToken);

        var mark = Server.Requests.Mark();
        await fixture.PushWithSkopeoAsync(authFile, $"{user.Name}/app");
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), authFile: authFile)).EnsureSuccess();
        AssertRefreshGrants(Server.Requests.Since(mark), identityToken, user);

        var newPassword = $"pw-{Guid.NewGuid():N}";
        (await Server.CliAsync(["user", "passwd", user.Name, "--password-stdin"], newPassword)).EnsureSuccess();
        // The CLI is another process: the server's session cache sees its change at the next revision
        // check (AuthServer:Cache:RevisionCheckInterval; 200 ms in these tests), as issue 13 allows.
        await Eventually.WaitUntilAsync(async () =>
            (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), authFile: authFile)).ExitCode != 0, "refused pull", seconds: 10);
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), authFile: authFile)).EnsureRefused("unauthorized");

        WriteIdentityTokenAuthFile(authFile, user, await LoginLikeDockerAsync(user with { Password = newPassword }));
        (await fixture.Skopeo.PullAsync(fixture.Reference($"{user.Name}/app"), authFile: authFile)).EnsureSuccess();
    }

    /// <summary>containers/image with an identity token: POST refresh grants only, never the password.</summary>
    private void AssertRefreshGrants(IReadOnlyList<RecordedTokenRequest> requests, string identityToken, Account user)
    {
        Assert.NotEmpty(requests);
        foreach (var r in requests)
        {
            var shape = (r.Method, r.AuthorizationScheme, r.FormValue("grant_type"), r.FormValue("client_id"), r.Status);
            Assert.True(shape == ("POST", null, "refresh_token", "containers/image", 200), Server.Requests.Describe(requests));
            Assert.Equal(identityToken, r.FormValue("refresh_token"));
        }
        Assert.Contains(requests, r => r.FormValues("scope").SequenceEqual([$"repository:{user.Name}/app:pull,push"]));
        Assert.Contains(requests, r => r.FormValues("scope").SequenceEqual([$"repository:{user.Name}/app:pull"]));
    }

    /// <summary>The token request docker login makes; its refresh_token is the identity token.</summary>
    private async Task<string> LoginLikeDockerAsync(Account user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/token?account={user.Name}&client_id=docker&offline_token=true&service={AuthServerInstance.Service}");
        request.Headers.Authorization = user.Basic;
        using var response = await Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString()!;
    }

    /// <summary>An auth file as docker login writes it: "user:" and the identity token, no password.</summary>
    private void WriteIdentityTokenAuthFile(string authFile, Account user, string identityToken) =>
        File.WriteAllText(authFile, JsonSerializer.Serialize(new
        {
            auths = new Dictionary<string, object>
            {
                [fixture.Registry.Host] = new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Name}:")), identitytoken = identityToken },
            },
        }));
}
