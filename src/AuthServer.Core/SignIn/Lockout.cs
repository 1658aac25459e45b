namespace AuthServer.Core.SignIn;

/// <summary>A lock just imposed on an account or an address, for the log and the audit trail.</summary>
public sealed record Lockout(string Key, int Failures, TimeSpan Duration)
{
    public bool IsAddress => Key.StartsWith(LoginThrottle.AddressPrefix, StringComparison.Ordinal);

    /// <summary>The audit subject: the account name, or <c>address:…</c>.</summary>
    public string Subject => IsAddress ? Key : Key[LoginThrottle.AccountPrefix.Length..];
}
