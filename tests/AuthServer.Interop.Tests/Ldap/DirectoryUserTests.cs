using AuthServer.Interop.Tests.Infrastructure;
using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Interop.Tests.Ldap;

/// <summary>
/// Directory users through the real registry 2.8 with skopeo (issue 18): access by the rules of
/// their mapped groups, one directory bind per login window however many pulls, and access lost
/// at the refresh once the directory takes it away (out of the required group, or disabled by
/// Active Directory's userAccountControl, which this slapd carries).
/// </summary>
public sealed class DirectoryUserTests(DirectoryFixture fixture) : IClassFixture<DirectoryFixture>
{
    private Skopeo Skopeo => fixture.Skopeo;

    private Task<ProcessResult> LoginAsync(string authFile, Account user) => Skopeo.LoginAsync(authFile, user, fixture.Registry.Host);

    private async Task<ProcessResult> PushAsync(string repository, string tag, string? creds = null, string? authFile = null)
    {
        var layout = Path.Combine(fixture.Containers.Directory, $"layout-{Guid.NewGuid():N}");
        var source = TestImages.WriteOciLayout(layout, tag, $"{repository}:{tag} {Guid.NewGuid()}");
        return await Skopeo.CopyAsync(source, $"docker://{fixture.Reference(repository, tag)}", destCreds: creds, authFile: authFile);
    }

    [Fact]
    public async Task Directory_users_sign_in_with_skopeo_and_push_and_pull_by_the_rules_of_their_mapped_groups()
    {
        var alice = DirectoryFixture.User("alice");
        var bob = DirectoryFixture.User("bob");
        var aliceAuth = fixture.Containers.NewAuthFile();
        var bobAuth = fixture.Containers.NewAuthFile();

        Assert.Contains("Login Succeeded", (await LoginAsync(aliceAuth, alice)).EnsureSuccess().Output);
        (await PushAsync("dev/app", "1", authFile: aliceAuth)).EnsureSuccess();
        (await Skopeo.PullAsync(fixture.Reference("dev/app"), authFile: aliceAuth)).EnsureSuccess();

        // bob is in platform only through the nested group ops: platform-team pulls dev/**, never pushes.
        (await LoginAsync(bobAuth, bob)).EnsureSuccess();
        (await Skopeo.PullAsync(fixture.Reference("dev/app"), authFile: bobAuth)).EnsureSuccess();
        (await PushAsync("dev/app", "bob", authFile: bobAuth)).EnsureRefused("denied", "unauthorized", "authentication required");

        // mallory's password is right, but she is outside the required group.
        (await LoginAsync(fixture.Containers.NewAuthFile(), DirectoryFixture.User("mallory"))).EnsureRefused("unauthorized", "invalid username", "401");
    }

    [Fact]
    public async Task The_directory_sees_one_bind_per_login_window_not_one_per_pull()
    {
        var carol = DirectoryFixture.User("carol");
        var authFile = fixture.Containers.NewAuthFile();
        var mark = fixture.Server.Requests.Mark();
        var before = fixture.Directory.BindsAs(UserDnOf("carol"));

        (await LoginAsync(authFile, carol)).EnsureSuccess();
        (await PushAsync("carol/app", "1", authFile: authFile)).EnsureSuccess();
        for (var i = 0; i < 3; i++) (await Skopeo.PullAsync(fixture.Reference("carol/app"), authFile: authFile)).EnsureSuccess();

        // Every skopeo run sent carol's password to /token (containers/image keeps no token between runs)...
        var signIns = fixture.Server.Requests.Since(mark).Where(r => r.BasicUser == "carol" && r.Status == 200).ToList();
        Assert.True(signIns.Count >= 5, fixture.Server.Requests.Describe(signIns));
        // ...and slapd saw carol bind once: the first sign-in; the others were answered from the verified-password cache.
        Assert.Equal(0, before);
        Assert.Equal(1, fixture.Directory.BindsAs(UserDnOf("carol")));
    }

    [Fact]
    public async Task A_user_removed_from_the_required_group_loses_access_after_the_refresh()
    {
        var erin = DirectoryFixture.User("erin");
        var authFile = fixture.Containers.NewAuthFile();
        (await LoginAsync(authFile, erin)).EnsureSuccess();
        (await PushAsync("erin/app", "1", authFile: authFile)).EnsureSuccess();

        await fixture.Directory.ModifyAsync($"dn: {GroupDnOf("authserver-users")}\nchangetype: modify\ndelete: member\nmember: {UserDnOf("erin")}\n");
        // Until the refresh, the password cached at login still signs erin in: the refresh interval is the window.
        (await Skopeo.PullAsync(fixture.Reference("erin/app"), authFile: authFile)).EnsureSuccess();
        var refresh = await fixture.RefreshAsync();

        Assert.True(refresh.Complete && refresh.Refused >= 1, $"refresh: {refresh}");
        (await Skopeo.PullAsync(fixture.Reference("erin/app"), authFile: authFile)).EnsureRefused("unauthorized", "authentication required", "401");
        (await LoginAsync(fixture.Containers.NewAuthFile(), erin)).EnsureRefused("unauthorized", "invalid username", "401");
    }

    [Fact]
    public async Task An_account_disabled_by_userAccountControl_loses_access_after_the_refresh()
    {
        var kim = DirectoryFixture.User("kim");
        (await PushAsync("kim/app", "1", creds: kim.Creds)).EnsureSuccess();

        await fixture.Directory.ModifyAsync($"dn: {UserDnOf("kim")}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: {AccountDisabled}\n");
        var refresh = await fixture.RefreshAsync();

        Assert.True(refresh.Complete && refresh.Refused >= 1, $"refresh: {refresh}");
        (await Skopeo.PullAsync(fixture.Reference("kim/app"), creds: kim.Creds)).EnsureRefused("unauthorized", "authentication required", "401");
        // ken was disabled from the start: his right password never signs in.
        (await PushAsync("ken/app", "1", creds: DirectoryFixture.User("ken").Creds)).EnsureRefused("unauthorized", "invalid username", "401");
    }
}
