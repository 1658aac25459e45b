using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Interop.Tests.Ldap;

/// <summary>
/// `docker login` with a directory password (issue 18): docker keeps the refresh token it is
/// given, not the password, so what takes access away from a directory user who left is the end of
/// that refresh session at the directory refresh, not a password check.
/// </summary>
public sealed class DirectoryDockerLoginTests(DirectoryDockerFixture fixture) : IClassFixture<DirectoryDockerFixture>
{
    [Fact]
    public async Task A_directory_user_logs_in_with_docker_and_pushes_and_pulls_by_their_mapped_group()
    {
        using var docker = fixture.NewClient();
        var image = fixture.Reference("dev/docker-app");
        await docker.ImportAsync(image, $"alice {Guid.NewGuid()}");

        Assert.Contains("Login Succeeded", (await docker.LoginAsync(DirectoryFixture.User("alice"))).EnsureSuccess().Output);
        (await docker.RunAsync("push", image)).EnsureSuccess();
        (await docker.RunAsync("rmi", image)).EnsureSuccess();
        (await docker.RunAsync("pull", image)).EnsureSuccess();
    }

    [Fact]
    public async Task Leaving_the_required_group_ends_dockers_session_at_the_refresh()
    {
        using var docker = fixture.NewClient();
        var image = fixture.Reference("ivan/app");
        await docker.ImportAsync(image, $"ivan {Guid.NewGuid()}");
        (await docker.LoginAsync(DirectoryFixture.User("ivan"))).EnsureSuccess();
        (await docker.RunAsync("push", image)).EnsureSuccess();
        (await docker.RunAsync("rmi", image)).EnsureSuccess();

        await fixture.Directory.ModifyAsync($"dn: {GroupDnOf("authserver-users")}\nchangetype: modify\ndelete: member\nmember: {UserDnOf("ivan")}\n");
        var refresh = await fixture.RefreshAsync();

        Assert.True(refresh.Complete && refresh.Refused >= 1, $"refresh: {refresh}");
        (await docker.RunAsync("pull", image)).EnsureRefused("unauthorized", "authentication required", "denied");
    }
}
