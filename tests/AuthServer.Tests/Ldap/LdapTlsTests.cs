using AuthServer.Core.Ldap;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthServer.TestSupport.SlapdServer;

namespace AuthServer.Tests.Ldap;

/// <summary>A real slapd alone, for the directory client's own tests.</summary>
public sealed class SlapdFixture : IAsyncLifetime
{
    public SlapdServer Directory { get; private set; } = null!;

    public async Task InitializeAsync() => Directory = await SlapdServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (Directory is not null) await Directory.DisposeAsync();
    }
}

/// <summary>LDAPS and StartTLS against slapd's certificate from a test CA, and refusal of a certificate nobody trusts.</summary>
public class LdapTlsTests(SlapdFixture slapd) : IClassFixture<SlapdFixture>
{
    private LdapDirectory Client(string url, bool startTls, string? caFile)
    {
        var options = Options.Create(new LdapOptions
        {
            Servers = [url],
            StartTls = startTls,
            CaFile = caFile,
            BindDn = ServiceDn,
            BindPassword = ServicePassword,
            UserBase = People,
            GroupBase = Groups,
            GroupLookup = GroupLookup.MemberOf,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            OperationTimeout = TimeSpan.FromSeconds(5),
        });
        return new LdapDirectory(options, new LdapTrust(options), NullLogger<LdapDirectory>.Instance);
    }

    [Fact]
    public async Task Ldaps_with_the_test_CA_finds_the_user_and_checks_the_password()
    {
        using var directory = Client(slapd.Directory.TlsUrl, startTls: false, slapd.Directory.CaFile);

        var alice = await directory.FindUserAsync("alice", CancellationToken.None);

        Assert.NotNull(alice);
        Assert.Equal(UserDnOf("alice"), alice.Dn);
        Assert.True(await directory.CheckPasswordAsync(alice.Dn, PasswordOf("alice"), CancellationToken.None));
        Assert.False(await directory.CheckPasswordAsync(alice.Dn, "not-her-password", CancellationToken.None));
    }

    [Fact]
    public async Task StartTls_with_the_test_CA_finds_the_user_and_the_memberof_groups()
    {
        using var directory = Client(slapd.Directory.Url, startTls: true, slapd.Directory.CaFile);

        var alice = await directory.FindUserAsync("alice", CancellationToken.None);

        Assert.NotNull(alice);
        Assert.Contains(alice.Groups, g => g.Name == "developers");
        Assert.Contains(alice.Groups, g => g.Name == "authserver-users");
        Assert.True(await directory.CheckPasswordAsync(alice.Dn, PasswordOf("alice"), CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Certificate_from_an_untrusted_CA_is_refused(bool startTls)
    {
        using var directory = Client(startTls ? slapd.Directory.Url : slapd.Directory.TlsUrl, startTls, caFile: null);

        await Assert.ThrowsAsync<DirectoryUnavailableException>(() => directory.FindUserAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task Failover_skips_a_server_that_is_down()
    {
        var options = Options.Create(new LdapOptions
        {
            Servers = ["ldap://127.0.0.1:1", slapd.Directory.Url],
            BindDn = ServiceDn,
            BindPassword = ServicePassword,
            UserBase = People,
        });
        using var directory = new LdapDirectory(options, new LdapTrust(options), NullLogger<LdapDirectory>.Instance);

        Assert.NotNull(await directory.FindUserAsync("bob", CancellationToken.None));
    }
}
