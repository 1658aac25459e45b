using AuthServer.Core.Identity;

namespace AuthServer.Core.SignIn.Sources;

/// <summary>The accounts made here: the password is checked against its bcrypt hash in the database.</summary>
public sealed class LocalPasswordSource(PasswordHasher hasher, VerifiedPasswords verified, PasswordUpgrader upgrader) : IIdentitySource
{
    public string Name => IdentitySources.Local;

    public IdentitySourceHealth Health => IdentitySourceHealth.AlwaysUp;

    public Task ProbeAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<SourceCheck?> CheckPasswordAsync(PasswordCredential password, CachedUser? user, ClientSource source, CancellationToken ct)
    {
        if (user is null || user.Source != IdentitySources.Local) return null;
        var outcome = await verified.VerifyOnceAsync(user, password.Password,
            () => hasher.VerifyAsync(password.Password, user.PasswordHash, source.Key, Names.Normalize(user.Name)));
        switch (outcome)
        {
            case PasswordVerification.Busy: return new(SignInResult.Overloaded(CredentialKind.Password, user.Name));
            case PasswordVerification.Failed: return new(SignInResult.Failure(CredentialKind.Password, user.Name, "wrong password"));
        }
        // Checked after the hash, so a disabled account costs and answers like a wrong password.
        if (user.IsDisabled) return new(SignInResult.Failure(CredentialKind.Password, user.Name, "user disabled"));

        if (hasher.NeedsRehash(user.PasswordHash)) upgrader.Schedule(user, password.Password);
        return new(SignInResult.Success(user.Principal), user);
    }
}
