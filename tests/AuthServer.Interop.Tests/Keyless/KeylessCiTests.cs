using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Keyless;

/// <summary>
/// Keyless CI end to end: `docker login` with a CI job's ID token as the robot's password and a
/// push through the real registry; skopeo pushes and pulls the same way; a token whose claims the
/// trust does not accept is refused; keys rotated at the issuer are used without a restart.
/// </summary>
public sealed class KeylessCiTests(KeylessFixture fixture) : IClassFixture<KeylessFixture>
{
    [Fact]
    public async Task A_job_pushes_and_pulls_with_its_id_token()
    {
        var job = new Account(KeylessFixture.Robot, fixture.Issuer.Token(KeylessFixture.Audience, repository: "octo/app", gitRef: "refs/heads/main"));

        await fixture.PushWithSkopeoAsync(job, "octo/app", "keyless");
        (await fixture.Skopeo.PullAsync(fixture.Reference("octo/app", "keyless"), job.Creds)).EnsureSuccess();
    }

    [Fact]
    public async Task A_job_of_another_repository_is_refused()
    {
        var other = new Account(KeylessFixture.Robot, fixture.Issuer.Token(KeylessFixture.Audience, repository: "octo/other"));
        var layout = Path.Combine(fixture.Containers.Directory, $"layout-{Guid.NewGuid():N}");
        var source = TestImages.WriteOciLayout(layout, "1", "refused " + Guid.NewGuid());

        var push = await fixture.Skopeo.CopyAsync(source, $"docker://{fixture.Reference("octo/app", "refused")}", destCreds: other.Creds);

        push.EnsureRefused("unauthorized", "authentication required", "401");
    }

    private Account Job(string repository = "octo/app") =>
        new(KeylessFixture.Robot, fixture.Issuer.Token(KeylessFixture.Audience, repository: repository, gitRef: "refs/heads/main", lifetime: TimeSpan.FromMinutes(5)));

    [Fact]
    public async Task Docker_login_with_the_jobs_id_token_then_a_push_through_the_registry()
    {
        using var docker = fixture.NewDockerClient();
        var image = fixture.Reference("octo/app", "docker-keyless");
        await docker.ImportAsync(image, $"keyless {Guid.NewGuid()}");

        var login = (await docker.LoginAsync(Job())).EnsureSuccess();
        Assert.Contains("Login Succeeded", login.Output);
        // The trust gives no refresh token, so docker keeps the ID token as the password (minutes of worth).
        var stored = docker.StoredAuth()!.Value;
        Assert.False(stored.TryGetProperty("identitytoken", out _));

        var push = (await docker.RunAsync("push", image)).EnsureSuccess();
        Assert.Contains("docker-keyless: digest: sha256:", push.Output);
    }

    [Fact]
    public async Task Docker_login_with_a_token_the_trust_does_not_accept_is_refused()
    {
        using var docker = fixture.NewDockerClient();

        var login = await docker.LoginAsync(Job("octo/other"));

        login.EnsureRefused("unauthorized", "401");
        Assert.Null(docker.StoredAuth());
    }

    [Fact]
    public async Task Keys_rotated_at_the_issuer_sign_in_without_a_restart_and_the_dropped_ones_stop()
    {
        using var docker = fixture.NewDockerClient();
        var old = Job();
        (await docker.LoginAsync(old)).EnsureSuccess();

        fixture.Issuer.Rotate(dropOld: true);
        var image = fixture.Reference("octo/app", "rotated");
        await docker.ImportAsync(image, $"rotated {Guid.NewGuid()}");
        // A token with the new key: the server fetches the keys again (at most once a second).
        await Eventually.WaitUntilAsync(async () => (await docker.LoginAsync(Job())).ExitCode == 0, "docker login with a token of the rotated key", 30);
        (await docker.RunAsync("push", image)).EnsureSuccess();

        using var stale = fixture.NewDockerClient();
        (await stale.LoginAsync(old)).EnsureRefused("unauthorized", "401");
    }
}
