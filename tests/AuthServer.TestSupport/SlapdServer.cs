using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthServer.TestSupport;

/// <summary>
/// A real OpenLDAP server (Debian's slapd) in a temp directory: a generated slapd.conf, a test CA
/// and server certificate made with openssl, entries loaded with slapadd (people) and ldapadd
/// (groups, so the memberof overlay writes memberOf), listening on ldap:// and ldaps:// on free
/// loopback ports. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it away and back on
/// the same ports, for the outage tests. slapd logs its operations (<c>-d stats</c>), so a test can
/// count the binds a user's password cost (<see cref="BindsAs"/>). A small schema adds Active
/// Directory's <c>userAccountControl</c> (under its AD OID), so the disabled-account flag is
/// really read from a directory entry.
/// </summary>
public sealed class SlapdServer : IAsyncDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string RootDn = "cn=admin,dc=example,dc=org";
    public const string RootPassword = "root-secret-1";
    public const string ServiceDn = "cn=authserver,ou=services,dc=example,dc=org";
    public const string ServicePassword = "service-bind-secret-7f3a";
    public const string People = "ou=people,dc=example,dc=org";
    public const string Groups = "ou=groups,dc=example,dc=org";

    /// <summary>Every test user's password is their name followed by this.</summary>
    public const string PasswordSuffix = "-directory-pw";

    /// <summary>userAccountControl of an enabled AD user (NORMAL_ACCOUNT) and of a disabled one (NORMAL_ACCOUNT | ACCOUNTDISABLE).</summary>
    public const int AccountEnabled = 0x200;
    public const int AccountDisabled = 0x202;

    private readonly string _slapd;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private SlapdServer(string slapd, string directory)
    {
        _slapd = slapd;
        Directory = directory;
    }

    public string Directory { get; }
    public int Port { get; private set; }
    public int TlsPort { get; private set; }
    public string Url => $"ldap://127.0.0.1:{Port}";
    public string TlsUrl => $"ldaps://127.0.0.1:{TlsPort}";
    public string CaFile => Path.Combine(Directory, "ca.pem");
    public string ConfigFile => Path.Combine(Directory, "slapd.conf");

    /// <summary>
    /// The AuthServer:Ldap settings that fit this directory: the service account, the bases, group
    /// search with nested groups expanded, and the required group authserver-users. Mappings are
    /// the caller's.
    /// </summary>
    public Dictionary<string, string?> ClientSettings() => new()
    {
        ["AuthServer:Ldap:Servers:0"] = Url,
        ["AuthServer:Ldap:BindDn"] = ServiceDn,
        ["AuthServer:Ldap:BindPassword"] = ServicePassword,
        ["AuthServer:Ldap:UserBase"] = People,
        ["AuthServer:Ldap:GroupBase"] = Groups,
        ["AuthServer:Ldap:GroupLookup"] = "Search",
        ["AuthServer:Ldap:NestedGroups"] = "Expand",
        ["AuthServer:Ldap:RequiredGroup"] = "authserver-users",
    };

    /// <summary>Binds slapd has logged with this DN (attempts, whatever their result), counted since it first started.</summary>
    public int BindsAs(string dn)
    {
        var pattern = new Regex($@" BIND dn=""{Regex.Escape(dn)}"" method=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return _log.Count(pattern.IsMatch);
    }

    public static string PasswordOf(string user) => user + PasswordSuffix;

    public static async Task<SlapdServer> StartNewAsync()
    {
        var slapd = File.Exists("/usr/sbin/slapd") ? "/usr/sbin/slapd" : ExternalTool.Require("slapd", "slapd");
        ExternalTool.Require("ldapadd", "ldap-utils");
        ExternalTool.Require("openssl", "openssl");
        var server = new SlapdServer(slapd, TempDirectory.Create("slapd-test"));
        try
        {
            await server.CreateAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync()
    {
        Port = FreePort.Next();
        TlsPort = FreePort.Next();
        await MakeCertificatesAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db"));
        await File.WriteAllTextAsync(Path.Combine(Directory, "ad.schema"), ActiveDirectorySchema);
        await File.WriteAllTextAsync(ConfigFile, $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include /etc/ldap/schema/nis.schema
            include {Directory}/ad.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload memberof
            pidfile {Directory}/slapd.pid
            TLSCACertificateFile {Directory}/ca.pem
            TLSCertificateFile {Directory}/server.pem
            TLSCertificateKeyFile {Directory}/server.key
            database mdb
            maxsize 16777216
            suffix "{Suffix}"
            rootdn "{RootDn}"
            rootpw {RootPassword}
            directory {Directory}/db
            overlay memberof
            access to attrs=userPassword by anonymous auth by * none
            access to * by dn.exact="{ServiceDn}" read by self read by * none

            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "people.ldif"), PeopleLdif());
        await RunAsync("/usr/sbin/slapadd", "-f", ConfigFile, "-l", Path.Combine(Directory, "people.ldif"));
        await StartAsync();
        await LdapAsync("ldapadd", GroupsLdif());
    }

    /// <summary>Starts slapd on the ports it had and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(_slapd)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // -d: stay in the foreground, so the test owns the process; stats: one line per operation (BIND, SRCH) on stderr.
        foreach (var a in new[] { "-f", ConfigFile, "-h", $"{Url}/ {TlsUrl}/", "-d", "stats" }) start.ArgumentList.Add(a);
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"slapd exited with {_process.ExitCode} at start");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Stops slapd (the directory outage); <see cref="StartAsync"/> brings it back with its data.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>Changes entries as the directory's administrator (ldapmodify with an LDIF).</summary>
    public Task ModifyAsync(string ldif) => LdapAsync("ldapmodify", ldif);

    private async Task LdapAsync(string tool, string ldif)
    {
        var file = Path.Combine(Directory, $"change-{Guid.NewGuid():N}.ldif");
        await File.WriteAllTextAsync(file, ldif);
        await RunAsync(ExternalTool.Require(tool, "ldap-utils"), "-x", "-H", Url, "-D", RootDn, "-w", RootPassword, "-f", file);
    }

    private async Task MakeCertificatesAsync()
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        string In(string name) => Path.Combine(Directory, name);
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        await RunAsync(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", In("ca.key"), "-out", In("ca.pem"), "-days", "2", "-subj", "/CN=AuthServer test directory CA");
        await RunAsync(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", In("server.key"), "-out", In("server.csr"), "-subj", "/CN=127.0.0.1");
        await RunAsync(openssl, "x509", "-req", "-in", In("server.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", In("server.ext"), "-out", In("server.pem"));
    }

    private async Task RunAsync(string tool, params string[] args)
    {
        var result = await ExternalTool.RunAsync(tool, Directory, TimeSpan.FromSeconds(30), args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(tool)} failed: {result}");
    }

    private static string Person(string uid, string cn, string? extra = null) => $"""
        dn: uid={uid},{People}
        objectClass: inetOrgPerson
        uid: {uid}
        cn: {cn}
        sn: {cn.Split(' ')[^1]}
        userPassword: {PasswordOf(uid)}
        {extra}

        """;

    /// <summary>
    /// Active Directory's userAccountControl under its own OID (1.2.840.113556.1.4.8), an INTEGER
    /// as in AD, on an auxiliary class of OpenLDAP's experimental arc: what a user entry of AD
    /// returns for it, OpenLDAP returns here.
    /// </summary>
    private const string ActiveDirectorySchema = """
        attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
          DESC 'Active Directory account flags; 0x2 is ACCOUNTDISABLE'
          EQUALITY integerMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
        objectclass ( 1.3.6.1.4.1.4203.666.11.99.1 NAME 'activeDirectoryAccount'
          DESC 'test only: an entry carrying userAccountControl like an AD user'
          AUXILIARY MAY userAccountControl )

        """;

    /// <summary>
    /// The people: alice (developers), bob (ops, and through it platform), carol (in the required
    /// group only through the nested group contractors), mallory (outside the required group),
    /// dave (also a local account of the same name), erin and frank (for the refresh tests), judy (the console);
    /// kim (an AD-style account, enabled) and ken (an AD-style account disabled by
    /// userAccountControl), both in the required group.
    /// </summary>
    private static string PeopleLdif() => new StringBuilder($"""
        dn: {Suffix}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: ou=people,{Suffix}
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,{Suffix}
        objectClass: organizationalUnit
        ou: groups

        dn: ou=services,{Suffix}
        objectClass: organizationalUnit
        ou: services

        dn: {ServiceDn}
        objectClass: simpleSecurityObject
        objectClass: organizationalRole
        cn: authserver
        userPassword: {ServicePassword}


        """)
        .Append(Person("alice", "Alice Liddell"))
        .Append(Person("bob", "Bob Builder"))
        .Append(Person("carol", "Carol Contractor"))
        .Append(Person("mallory", "Mallory Outsider"))
        .Append(Person("dave", "Dave Directory"))
        .Append(Person("erin", "Erin Leaver"))
        .Append(Person("frank", "Frank Mover"))
        .Append(Person("grace", "Grace Outage"))
        .Append(Person("heidi", "Heidi Guesser"))
        .Append(Person("ivan", "Ivan Concurrent"))
        .Append(Person("judy", "Judy Console"))
        .Append(Person("kim", "Kim Enabled", AccountControl(AccountEnabled)))
        .Append(Person("ken", "Ken Disabled", AccountControl(AccountDisabled)))
        .ToString();

    // Ends with a newline: the blank line that closes the entry follows it.
    private static string AccountControl(int flags) => $"objectClass: activeDirectoryAccount\nuserAccountControl: {flags}\n";

    private static string Group(string cn, params string[] members) =>
        $"dn: cn={cn},{Groups}\nobjectClass: groupOfNames\ncn: {cn}\n" + string.Concat(members.Select(m => $"member: {m}\n")) + "\n";

    private static string UserDn(string uid) => $"uid={uid},{People}";

    private static string GroupDn(string cn) => $"cn={cn},{Groups}";

    // Groups inside groups first, so the memberof overlay finds them; then the groups that hold them.
    private static string GroupsLdif() =>
        Group("contractors", UserDn("carol"))
        + Group("ops", UserDn("bob"), UserDn("frank"))
        + Group("developers", UserDn("alice"))
        + Group("platform", GroupDn("ops"))
        + Group("authserver-users", UserDn("alice"), UserDn("bob"), UserDn("dave"), UserDn("erin"), UserDn("frank"), UserDn("grace"),
            UserDn("heidi"), UserDn("ivan"), UserDn("judy"), UserDn("kim"), UserDn("ken"), GroupDn("contractors"));

    public static string UserDnOf(string uid) => UserDn(uid);

    public static string GroupDnOf(string cn) => GroupDn(cn);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TempDirectory.Delete(Directory);
    }
}
