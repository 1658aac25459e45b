namespace AuthServer.Core.Ldap;

/// <summary>How group memberships are read from the directory.</summary>
public enum GroupLookup
{
    /// <summary>The user entry's <c>memberOf</c> attribute (Active Directory; OpenLDAP with the memberof overlay).</summary>
    MemberOf,

    /// <summary>A search under <see cref="LdapOptions.GroupBase"/> with <see cref="LdapOptions.GroupFilter"/>.</summary>
    Search,
}

/// <summary>Whether groups inside groups count.</summary>
public enum NestedGroups
{
    Off,

    /// <summary>Groups of groups are searched level by level (any server; at most <see cref="LdapOptions.MaxNestingDepth"/> levels).</summary>
    Expand,

    /// <summary>One search with Active Directory's LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941), which walks the nesting on the server.</summary>
    InChain,
}

/// <summary>A directory group given to users as an AuthServer group.</summary>
public sealed class GroupMapping
{
    /// <summary>The directory group: its name (the first value of its RDN, e.g. <c>developers</c>) or a DN pattern, where <c>*</c> stands for any text (<c>cn=*,ou=teams,dc=example,dc=org</c>).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The AuthServer group; empty: the directory group's name. Made when missing.</summary>
    public string? Group { get; set; }
}

/// <summary>Sign-in against an LDAP directory or Active Directory (docs/ldap.md).</summary>
public sealed class LdapOptions
{
    public const string Section = "AuthServer:Ldap";

    /// <summary>Server URLs, tried in order (failover): <c>ldap://host:389</c> or <c>ldaps://host:636</c>. Empty: no directory.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Upgrade <c>ldap://</c> connections with StartTLS before anything is sent.</summary>
    public bool StartTls { get; set; }

    /// <summary>PEM file of the CA that signed the directory's certificate; empty: the system's trust store.</summary>
    public string? CaFile { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The service account that searches for users and groups; empty: anonymous searches.</summary>
    public string? BindDn { get; set; }

    /// <summary>Its password. Never logged; set it through an environment variable or a secrets file, not appsettings.json.</summary>
    public string? BindPassword { get; set; }

    public string UserBase { get; set; } = "";

    /// <summary>The user search; <c>{0}</c> is the login name, escaped per RFC 4515.</summary>
    public string UserFilter { get; set; } = "(&(objectClass=inetOrgPerson)(uid={0}))";

    /// <summary>The attribute holding the login name (<c>uid</c>; <c>sAMAccountName</c> in Active Directory).</summary>
    public string LoginAttribute { get; set; } = "uid";

    public string DisplayNameAttribute { get; set; } = "cn";

    public GroupLookup GroupLookup { get; set; } = GroupLookup.MemberOf;

    /// <summary>Where group searches start; empty: <see cref="UserBase"/>.</summary>
    public string? GroupBase { get; set; }

    /// <summary>The group search; <c>{0}</c> is the member's DN and <c>{1}</c> the login name, both escaped per RFC 4515.</summary>
    public string GroupFilter { get; set; } = "(&(objectClass=groupOfNames)(member={0}))";

    public NestedGroups NestedGroups { get; set; } = NestedGroups.Off;

    public int MaxNestingDepth { get; set; } = 8;

    public List<GroupMapping> GroupMappings { get; set; } = [];

    /// <summary>A directory group (name or DN pattern) a user must be in to sign in at all; empty: any user found.</summary>
    public string? RequiredGroup { get; set; }

    /// <summary>How often the groups and standing of signed-in directory users are read again (also at every sign-in that misses the cache).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The Retry-After given when the directory cannot be reached.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Directory operations at once; more wait, so a burst of cold sign-ins cannot take every thread.</summary>
    public int MaxConcurrentOperations { get; set; } = 8;

    public bool Enabled => Servers.Count > 0;

    /// <summary>The problems of these settings, each naming its setting; empty when they are fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled) yield break;
        foreach (var server in Servers)
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("ldap" or "ldaps") || uri.Host.Length == 0)
                yield return $"{Section}:Servers: '{server}' is not an ldap:// or ldaps:// URL";
        if (StartTls && Servers.Any(s => s.StartsWith("ldaps:", StringComparison.OrdinalIgnoreCase)))
            yield return $"{Section}:StartTls applies to ldap:// servers; an ldaps:// server is already encrypted";
        if (CaFile is { Length: > 0 } ca && !File.Exists(ca)) yield return $"{Section}:CaFile: '{ca}' does not exist";
        if (string.IsNullOrWhiteSpace(UserBase)) yield return $"{Section}:UserBase is required";
        if (!UserFilter.Contains("{0}", StringComparison.Ordinal)) yield return $"{Section}:UserFilter must hold {{0}}, where the login name goes";
        if (GroupLookup == GroupLookup.Search && !GroupFilter.Contains("{0}", StringComparison.Ordinal) && !GroupFilter.Contains("{1}", StringComparison.Ordinal))
            yield return $"{Section}:GroupFilter must hold {{0}} (member DN) or {{1}} (login name)";
        if (string.IsNullOrEmpty(BindDn) != string.IsNullOrEmpty(BindPassword))
            yield return $"{Section}:BindDn and BindPassword go together";
        if (ConnectTimeout <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero) yield return $"{Section}: timeouts must be positive";
        if (RefreshInterval < TimeSpan.FromSeconds(1)) yield return $"{Section}:RefreshInterval must be at least one second";
        if (RetryAfter < TimeSpan.FromSeconds(1)) yield return $"{Section}:RetryAfter must be at least one second";
        if (MaxConcurrentOperations < 1) yield return $"{Section}:MaxConcurrentOperations must be at least 1";
        if (MaxNestingDepth is < 1 or > 64) yield return $"{Section}:MaxNestingDepth must be between 1 and 64";
        foreach (var mapping in GroupMappings.Where(m => string.IsNullOrWhiteSpace(m.Directory)))
            yield return $"{Section}:GroupMappings: every mapping needs Directory (a group name or DN pattern)";
    }
}
