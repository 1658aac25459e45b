namespace AuthServer.Core.Audit;

/// <summary>The <see cref="AuditEvent.Type"/> values: area, then what happened.</summary>
public static class AuditEventTypes
{
    public const string TokenRequest = "token.request";
    public const string LoginLockout = "login.lockout";

    /// <summary>Anonymous or refused requests from one source past the sampling burst, counted in one row (AuditSampler).</summary>
    public const string RequestsSampled = "requests.sampled";
    public const string LockoutRelease = "login.unlock";

    /// <summary>A refused sign-in to the admin API: bad credentials, or not an administrator.</summary>
    public const string AdminSignIn = "admin.sign-in";

    /// <summary>A sign-in to the web console, granted or refused, and a sign-out.</summary>
    public const string ConsoleSignIn = "console.sign-in";
    public const string ConsoleSignOut = "console.sign-out";

    /// <summary>A browser sign-in through an OpenID Connect provider (single sign-on), accepted or refused.</summary>
    public const string SsoSignIn = "sso.sign-in";

    public const string UserCreate = "user.create";
    public const string UserPassword = "user.password";
    public const string UserDisable = "user.disable";
    public const string UserEnable = "user.enable";
    public const string UserAdmin = "user.admin";
    public const string UserDelete = "user.delete";
    public const string UserProvision = "user.provision";
    public const string UserSourceDeny = "user.source-deny";
    public const string UserSourceAllow = "user.source-allow";

    public const string GroupCreate = "group.create";
    public const string GroupDelete = "group.delete";
    public const string GroupMemberAdd = "group.member-add";
    public const string GroupMemberRemove = "group.member-remove";

    public const string RuleCreate = "rule.create";
    public const string RuleUpdate = "rule.update";
    public const string RuleDelete = "rule.delete";

    public const string KeyAdd = "key.add";
    public const string KeyActivate = "key.activate";
    public const string KeyRetire = "key.retire";

    /// <summary>A signing CA made, imported, made the issuing CA, or retired (CA mode).</summary>
    public const string CaAdd = "key.ca-add";
    public const string CaActivate = "key.ca-activate";
    public const string CaRetire = "key.ca-retire";

    public const string RobotCreate = "robot.create";
    public const string RobotDisable = "robot.disable";
    public const string RobotEnable = "robot.enable";
    public const string RobotDelete = "robot.delete";

    public const string AccessTokenCreate = "access-token.create";
    public const string AccessTokenRevoke = "access-token.revoke";

    public const string SessionRevoke = "session.revoke";

    /// <summary>A keyless CI trust added or deleted at run time (admin API, CLI).</summary>
    public const string TrustAdd = "trust.add";
    public const string TrustDelete = "trust.delete";

    /// <summary>A login ended its credential's least recently used sessions (RefreshSessions:MaxPerCredential).</summary>
    public const string SessionEvict = "session.evict";

    /// <summary>An import of users and rules from htpasswd or docker_auth: what it created, kept and left out.</summary>
    public const string Import = "import.run";
}
