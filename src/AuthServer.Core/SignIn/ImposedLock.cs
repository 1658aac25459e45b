namespace AuthServer.Core.SignIn;

/// <summary>Which count a lock holds back.</summary>
public enum LockScope
{
    /// <summary>One account's passwords from one source.</summary>
    AccountAtSource,
    /// <summary>Password guesses from one source, on accounts it is not familiar to.</summary>
    Source,
    /// <summary>One account's passwords from every source it is not familiar to.</summary>
    UnfamiliarSources,
}

/// <summary>A lock just begun, for the log and the audit trail.</summary>
/// <param name="Subject">The account name, or <c>address:KEY</c> for a source.</param>
public sealed record ImposedLock(string Subject, LockScope Scope, int Failures, TimeSpan Leak)
{
    /// <summary>What the audit row says, in the operator's terms.</summary>
    public string Reason
    {
        get
        {
            var pace = Leak.TotalSeconds < 120 ? $"{(int)Math.Ceiling(Leak.TotalSeconds)} s" : $"{(int)Math.Round(Leak.TotalMinutes)} min";
            return Scope switch
            {
                LockScope.AccountAtSource => $"{Failures} failed sign-ins from one source: its guesses at this account slowed to 1 per {pace}",
                LockScope.Source => $"{Failures} failed sign-ins: password guesses from this source slowed to 1 per {pace}",
                _ => $"{Failures} failed sign-ins from unfamiliar sources: their guesses at this account slowed to 1 per {pace}; familiar sources go on",
            };
        }
    }
}
