namespace AuthServer.Core.Audit;

public enum AuditOutcome
{
    /// <summary>A token was issued with every action asked for.</summary>
    Granted,
    /// <summary>A token was issued with fewer actions than asked for (not an error: token.md).</summary>
    Partial,
    /// <summary>Credentials were refused (401).</summary>
    Unauthorized,
    /// <summary>The request was malformed (400).</summary>
    Invalid,
    /// <summary>Refused without checking credentials because the account or address is locked out (429).</summary>
    Locked,
    /// <summary>Refused by the per-address request rate limit (429).</summary>
    Limited,
    /// <summary>The server failed (500).</summary>
    Error,
    /// <summary>A change was made.</summary>
    Success,
    /// <summary>Refused because the server cannot take more sign-ins now: the password hashing queue is full (503).</summary>
    Busy,
}
