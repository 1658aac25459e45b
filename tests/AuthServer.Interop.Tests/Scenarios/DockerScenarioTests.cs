using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Scenarios;

/// <summary>
/// The everyday flows through the real registry 2.8 with the real docker CLI and daemon: who may
/// push, who may pull, what anonymous callers get, and what docker prints when refused.
/// </summary>
public sealed class DockerScenarioTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    private AuthServerInstance Server => fixture.Server;

    private async Task<(DockerClient Docker, string Image)> PushAsOwnerAsync(Account owner, string repository)
    {
        var docker = fixture.NewClient();
        var image = fixture.Reference(repository);
        await docker.ImportAsync(image, $"{repository} {Guid.NewGuid()}");
        (await docker.LoginAsync(owner)).EnsureSuccess();
        (await docker.RunAsync("push", image)).EnsureSuccess();
        return (docker, image);
    }

    [Fact]
    public async Task Owner_pushes_to_their_own_namespace()
    {
        var owner = await Server.NewUserAsync("owner");
        var (docker, image) = await PushAsOwnerAsync(owner, $"{owner.Name}/app");
        using var _ = docker;

        var tags = await fixture.Api.SendAsync(HttpMethod.Get, $"/v2/{owner.Name}/app/tags/list", owner, Server.Http);
        Assert.Equal(System.Net.HttpStatusCode.OK, tags.Status);
        Assert.Equal(["1"], tags.Json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(image, (await docker.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Pull_only_user_pulls()
    {
        var owner = await Server.NewUserAsync("owner");
        var reader = await Server.NewUserAsync("reader");
        await Server.AllowAsync($"user:{reader.Name}", $"{owner.Name}/**", "pull");
        var (ownerDocker, image) = await PushAsOwnerAsync(owner, $"{owner.Name}/shared");
        ownerDocker.Dispose();

        using var docker = fixture.NewClient();
        (await docker.LoginAsync(reader)).EnsureSuccess();
        // The daemon is shared: remove the local copy so the pull really downloads.
        (await docker.RunAsync("rmi", image)).EnsureSuccess();
        var pull = (await docker.RunAsync("pull", image)).EnsureSuccess();
        Assert.Contains("Downloaded newer image", pull.Output);
    }

    [Fact]
    public async Task Pull_only_user_is_refused_a_push_and_docker_says_denied()
    {
        var owner = await Server.NewUserAsync("owner");
        var reader = await Server.NewUserAsync("reader");
        await Server.AllowAsync($"user:{reader.Name}", $"{owner.Name}/**", "pull");
        var (ownerDocker, _) = await PushAsOwnerAsync(owner, $"{owner.Name}/guarded");
        ownerDocker.Dispose();

        using var docker = fixture.NewClient();
        var image = fixture.Reference($"{owner.Name}/guarded", "2");
        await docker.ImportAsync(image, "reader's attempt");
        (await docker.LoginAsync(reader)).EnsureSuccess();
        var push = await docker.RunAsync("push", image);
        push.EnsureRefused("denied");
        Assert.Contains("requested access to the resource is denied", push.Output);

        var tags = await fixture.Api.SendAsync(HttpMethod.Get, $"/v2/{owner.Name}/guarded/tags/list", owner, Server.Http);
        Assert.Equal(["1"], tags.Json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Anonymous_pulls_a_public_repository_and_is_refused_elsewhere()
    {
        var admin = new Account(AuthServerInstance.AdminName, AuthServerInstance.AdminPassword);
        var publicRepository = $"public/{Guid.NewGuid():N}"[..20];
        await Server.AllowAsync("anonymous", "public/**", "pull");
        var (adminDocker, publicImage) = await PushAsOwnerAsync(admin, publicRepository);
        adminDocker.Dispose();
        var owner = await Server.NewUserAsync("owner");
        var (ownerDocker, privateImage) = await PushAsOwnerAsync(owner, $"{owner.Name}/private");
        ownerDocker.Dispose();

        using var anonymous = fixture.NewClient();
        (await anonymous.RunAsync("rmi", publicImage, privateImage)).EnsureSuccess();
        var mark = Server.Requests.Mark();
        var pull = (await anonymous.RunAsync("pull", publicImage)).EnsureSuccess();
        Assert.Contains("Downloaded newer image", pull.Output);
        var tokenRequest = Assert.Single(Server.Requests.Since(mark));
        Assert.Equal(("GET", null, 200), (tokenRequest.Method, tokenRequest.AuthorizationScheme, tokenRequest.Status));

        var refused = await anonymous.RunAsync("pull", privateImage);
        refused.EnsureRefused("denied");
        Assert.Contains("pull access denied", refused.Output);
    }

    [Fact]
    public async Task Wrong_password_is_refused_at_login()
    {
        var user = await Server.NewUserAsync("user");
        using var docker = fixture.NewClient();
        var mark = Server.Requests.Mark();
        var login = await docker.LoginAsync(user with { Password = "not-the-password" });
        login.EnsureRefused("unauthorized");
        Assert.Null(docker.StoredAuth());
        Assert.Contains(Server.Requests.Since(mark), r => r.BasicUser == user.Name && r.Status == 401);
    }

    [Fact]
    public async Task Push_mounts_a_layer_from_another_repository_with_one_token_for_both()
    {
        var owner = await Server.NewUserAsync("owner");
        var (docker, image) = await PushAsOwnerAsync(owner, $"{owner.Name}/source");
        using var _ = docker;
        var copy = fixture.Reference($"{owner.Name}/copy");
        (await docker.RunAsync("tag", image, copy)).EnsureSuccess();

        var mark = Server.Requests.Mark();
        var push = (await docker.RunAsync("push", copy)).EnsureSuccess();
        Assert.Contains($"Mounted from {owner.Name}/source", push.Output);

        // Docker first asks for the target alone, then for the target and the source together:
        // POST, one scope field holding both, space-separated.
        var requests = Server.Requests.Since(mark);
        Assert.All(requests, r => Assert.Equal(("POST", 1), (r.Method, r.FormValues("scope").Length)));
        var both = requests.Select(r => r.FormValue("scope")!.Split(' ')).SingleOrDefault(s => s.Length == 2);
        Assert.True(both is not null, Server.Requests.Describe(requests));
        Assert.Contains($"repository:{owner.Name}/source:pull", both);
        Assert.Contains(both, s => s.StartsWith($"repository:{owner.Name}/copy:") && s.Contains("push") && s.Contains("pull"));
        Assert.Contains($"from={owner.Name}%2Fsource", fixture.Registry.Log);
    }
}
