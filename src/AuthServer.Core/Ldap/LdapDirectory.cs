using System.DirectoryServices.Protocols;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.Ldap;

/// <summary>
/// The directory's wire: finds users and their groups with the service account, and checks a
/// password by binding as the user (a hash is never read). Each operation opens its own connection
/// to the first server that answers (failover in the configured order), so a server that went
/// away costs one failed connect, never a broken pooled connection.
/// <para>
/// System.DirectoryServices.Protocols calls OpenLDAP's libldap on Linux. Its calls block, so they
/// run on the thread pool, at most <see cref="LdapOptions.MaxConcurrentOperations"/> at once.
/// </para>
/// </summary>
public sealed class LdapDirectory(IOptions<LdapOptions> options, LdapTrust trust, ILogger<LdapDirectory> log) : IDisposable
{
    // RFC 4511 invalidCredentials: the only bind answer that means "wrong password".
    private const int InvalidCredentials = 49;
    private const int AccountDisable = 0x2;

    // libldap's client-side codes for a server that cannot be reached.
    private const int ServerDown = 81;
    private const int Timeout = 85;
    private const int ConnectError = 91;

    private readonly LdapOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentOperations);

    /// <summary>The user of that login name with their groups; null when the directory has none (or more than one).</summary>
    public Task<DirectoryEntry?> FindUserAsync(string login, CancellationToken ct) =>
        RunAsync(connection => FindUser(connection, login), serviceBind: true, ct);

    /// <summary>The service bind and a base search of the user base: what every sign-in needs first.</summary>
    public Task ProbeAsync(CancellationToken ct) =>
        RunAsync(connection => Search(connection, _options.UserBase, "(objectClass=*)", ["1.1"], sizeLimit: 1, SearchScope.Base).Count == 1
            ? true
            : throw new DirectoryUnavailableException($"the user base '{_options.UserBase}' does not exist or the service account cannot read it"), serviceBind: true, ct);

    /// <summary>True when <paramref name="password"/> binds as <paramref name="dn"/>; false for invalid credentials.</summary>
    public Task<bool> CheckPasswordAsync(string dn, string password, CancellationToken ct) =>
        // An empty password would be an unauthenticated bind, which servers accept for any DN (RFC 4513 5.1.2).
        string.IsNullOrEmpty(password)
            ? Task.FromResult(false)
            : RunAsync(_ => true, serviceBind: false, ct, new NetworkCredential(dn, password), rejected: false);

    /// <summary>
    /// Opens a connection to the first server that answers, binds (the service account, or
    /// <paramref name="userBind"/>) and runs <paramref name="operation"/>. Invalid credentials of a
    /// user bind are not a server problem: they end the attempt at once, no other server is asked.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<LdapConnection, T> operation, bool serviceBind, CancellationToken ct,
        NetworkCredential? userBind = null, T rejected = default!)
    {
        await _slots.WaitAsync(ct);
        try
        {
            var errors = new List<string>();
            foreach (var server in _options.Servers)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var deadline = _options.ConnectTimeout + _options.OperationTimeout + _options.OperationTimeout;
                    return await Task.Run(() =>
                    {
                        using var connection = Open(new Uri(server), anonymous: serviceBind && string.IsNullOrEmpty(_options.BindDn));
                        try
                        {
                            if (serviceBind && string.IsNullOrEmpty(_options.BindDn)) connection.Bind();
                            else connection.Bind(serviceBind ? new NetworkCredential(_options.BindDn, _options.BindPassword) : userBind);
                        }
                        catch (LdapException e) when (!serviceBind && e.ErrorCode == InvalidCredentials)
                        {
                            return rejected;
                        }
                        return operation(connection);
                    }, ct).WaitAsync(deadline, ct);
                }
                catch (Exception e) when (e is LdapException or DirectoryOperationException or TimeoutException or BerConversionException)
                {
                    // The server's own words stay here: they go to the operator, never to a client.
                    var reason = e is LdapException ldap ? $"{ldap.Message} (LDAP {ldap.ErrorCode}{(ldap.ServerErrorMessage is { Length: > 0 } m ? ": " + m : "")})" : e.Message;
                    errors.Add($"{Redact(server)}: {reason}");
                    log.LogWarning("Directory server {Server} failed: {Reason}", Redact(server), reason);
                }
            }
            throw new DirectoryUnavailableException(string.Join("; ", errors));
        }
        finally
        {
            _slots.Release();
        }
    }

    private LdapConnection Open(Uri server, bool anonymous)
    {
        var secure = server.Scheme == "ldaps";
        var port = server.Port > 0 ? server.Port : secure ? 636 : 389;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(server.Host, port, fullyQualifiedDnsHostName: true, connectionless: false))
        {
            AuthType = anonymous ? AuthType.Anonymous : AuthType.Basic,
            Timeout = _options.OperationTimeout,
        };
        try
        {
            var session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            session.ReferralChasing = ReferralChasingOptions.None;
            // libldap (Linux, macOS) reads the CA from a directory; Windows' LDAP uses the machine's store.
            if (trust.Directory is { } caDirectory && !OperatingSystem.IsWindows())
            {
                session.TrustedCertificatesDirectory = caDirectory;
                session.StartNewTlsSessionContext();
            }
            if (secure) session.SecureSocketLayer = true;
            if (_options.StartTls) StartTls(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// On Linux the connection is made at the first operation, and StartTLS on a handle not yet
    /// connected goes nowhere (LDAP 81): an anonymous bind, which carries no secret, connects it
    /// first. A server that refuses anonymous binds before TLS (confidentialityRequired) still
    /// leaves the connection open, so that refusal is not an error here.
    /// </summary>
    private static void StartTls(LdapConnection connection)
    {
        var authType = connection.AuthType;
        connection.AuthType = AuthType.Anonymous;
        try
        {
            connection.Bind();
        }
        catch (DirectoryOperationException)
        {
        }
        catch (LdapException e) when (e.ErrorCode is not (ServerDown or ConnectError or Timeout))
        {
        }
        connection.AuthType = authType;
        connection.SessionOptions.StartTransportLayerSecurity(null);
    }

    private DirectoryEntry? FindUser(LdapConnection connection, string login)
    {
        var filter = LdapFilter.Format(_options.UserFilter, login);
        var attributes = new[] { _options.LoginAttribute, _options.DisplayNameAttribute, "memberOf", "userAccountControl" };
        var found = Search(connection, _options.UserBase, filter, attributes, sizeLimit: 2);
        if (found.Count != 1)
        {
            if (found.Count > 1) log.LogWarning("Directory search for a login name found more than one entry; nobody signs in with it");
            return null;
        }
        var entry = found[0];
        var name = First(entry, _options.LoginAttribute) ?? login;
        var disabled = int.TryParse(First(entry, "userAccountControl"), out var control) && (control & AccountDisable) != 0;
        var groups = _options.GroupLookup == GroupLookup.MemberOf
            ? MemberOf(connection, entry)
            : SearchGroups(connection, entry.DistinguishedName, name);
        return new DirectoryEntry(entry.DistinguishedName, name, First(entry, _options.DisplayNameAttribute), groups, disabled);
    }

    private List<DirectoryGroup> MemberOf(LdapConnection connection, SearchResultEntry user)
    {
        if (_options.NestedGroups == NestedGroups.InChain) return InChain(connection, user.DistinguishedName);
        var direct = Values(user, "memberOf").Select(Group).ToList();
        if (_options.NestedGroups != NestedGroups.Expand) return direct;
        // A group's own memberOf names the groups it is in; follow them level by level.
        var all = direct.ToDictionary(g => g.Dn, StringComparer.OrdinalIgnoreCase);
        var level = direct;
        for (var depth = 1; depth < _options.MaxNestingDepth && level.Count > 0; depth++)
        {
            var next = new List<DirectoryGroup>();
            foreach (var group in level)
                foreach (var entry in Search(connection, group.Dn, "(objectClass=*)", ["memberOf"], sizeLimit: 1, SearchScope.Base))
                    foreach (var parent in Values(entry, "memberOf").Select(Group))
                        if (all.TryAdd(parent.Dn, parent)) next.Add(parent);
            level = next;
        }
        return [.. all.Values];
    }

    private List<DirectoryGroup> SearchGroups(LdapConnection connection, string userDn, string login)
    {
        if (_options.NestedGroups == NestedGroups.InChain) return InChain(connection, userDn);
        var all = new Dictionary<string, DirectoryGroup>(StringComparer.OrdinalIgnoreCase);
        var members = new List<string> { userDn };
        for (var depth = 0; depth < _options.MaxNestingDepth && members.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var member in members)
                foreach (var entry in Search(connection, GroupBase, LdapFilter.Format(_options.GroupFilter, member, login), ["cn"], sizeLimit: 0))
                    if (all.TryAdd(entry.DistinguishedName, Group(entry.DistinguishedName))) next.Add(entry.DistinguishedName);
            if (_options.NestedGroups != NestedGroups.Expand) break;
            members = next;
        }
        return [.. all.Values];
    }

    // Active Directory walks the nesting itself: member:1.2.840.113556.1.4.1941:= is LDAP_MATCHING_RULE_IN_CHAIN.
    private List<DirectoryGroup> InChain(LdapConnection connection, string userDn) =>
        [.. Search(connection, GroupBase, $"(member:1.2.840.113556.1.4.1941:={LdapFilter.Escape(userDn)})", ["cn"], sizeLimit: 0)
            .Select(e => Group(e.DistinguishedName))];

    private string GroupBase => string.IsNullOrWhiteSpace(_options.GroupBase) ? _options.UserBase : _options.GroupBase;

    private List<SearchResultEntry> Search(LdapConnection connection, string searchBase, string filter, string[] attributes, int sizeLimit,
        SearchScope scope = SearchScope.Subtree)
    {
        var request = new SearchRequest(searchBase, filter, scope, attributes)
        {
            SizeLimit = sizeLimit,
            TimeLimit = _options.OperationTimeout,
        };
        try
        {
            var response = (SearchResponse)connection.SendRequest(request, _options.OperationTimeout);
            return [.. response.Entries.Cast<SearchResultEntry>()];
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse { ResultCode: ResultCode.SizeLimitExceeded } partial)
        {
            return [.. partial.Entries.Cast<SearchResultEntry>()];
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject && scope == SearchScope.Base)
        {
            return [];
        }
    }

    /// <summary>A group from its DN: the name is the first RDN's value, unescaped (<c>cn=dev\2c ops,…</c> → <c>dev, ops</c>).</summary>
    public static DirectoryGroup Group(string dn) => new(dn, DistinguishedNames.FirstRdnValue(dn));

    private static string? First(SearchResultEntry entry, string attribute) => Values(entry, attribute).FirstOrDefault();

    private static IEnumerable<string> Values(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) ? entry.Attributes[attribute].GetValues(typeof(string)).Cast<string>() : [];

    /// <summary>A server URL for a log line: any user information in it left out.</summary>
    private static string Redact(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}{(uri.Port > 0 ? ":" + uri.Port : "")}" : "(invalid URL)";

    public void Dispose() => _slots.Dispose();
}
