using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The x5c check of both versions (2.8 <c>parseAndVerifyCertChain</c>, 3.x go-jose
/// <c>Header.Certificates</c>): standard base64 DER, leaf first, the rest intermediates; the leaf
/// must chain to a bundle certificate, as Go's <c>x509.Certificate.Verify</c> decides with the
/// bundle as roots and any key usage.
/// </summary>
public static class CertificateChain
{
    /// <summary>The leaf's public key, or a <see cref="TokenRejectedException"/> saying why the chain is refused.</summary>
    public static VerificationKey Verify(IReadOnlyList<string> x5c, X509Certificate2Collection roots, DateTimeOffset now)
    {
        if (x5c.Count == 0) throw Invalid("empty x509 certificate chain");
        using var leaf = Load(x5c[0], "leaf");
        var intermediates = new X509Certificate2Collection();
        try
        {
            for (var i = 1; i < x5c.Count; i++) intermediates.Add(Load(x5c[i], "intermediate"));
            if (!IsTrusted(leaf, intermediates, roots, now, out var problem))
                throw Invalid($"unable to verify certificate chain: {problem}");
            try
            {
                return VerificationKey.FromCertificate(leaf);
            }
            catch (CryptographicException e)
            {
                throw Invalid($"unable to make a public key from the leaf certificate: {e.Message}");
            }
        }
        finally
        {
            foreach (var c in intermediates) c.Dispose();
        }
    }

    private static bool IsTrusted(X509Certificate2 leaf, X509Certificate2Collection intermediates, X509Certificate2Collection roots, DateTimeOffset now, out string problem)
    {
        // Go accepts a leaf that is itself in the root pool (the kid-less self-signed case) after
        // checking its validity dates; no chain building is involved.
        if (roots.Any(r => r.RawData.AsSpan().SequenceEqual(leaf.RawData)))
        {
            var valid = now >= leaf.NotBefore.ToUniversalTime() && now <= leaf.NotAfter.ToUniversalTime();
            problem = valid ? "" : $"certificate has expired or is not yet valid (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})";
            return valid;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch issuers from the network: only what the token and the bundle hold counts.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(leaf))
        {
            problem = "";
            return true;
        }
        problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (problem.Length == 0) problem = "certificate signed by unknown authority";
        return false;
    }

    private static X509Certificate2 Load(string base64, string what)
    {
        byte[] der;
        try
        {
            // RFC 7515 §4.1.6: standard base64, not base64url (Go's base64.StdEncoding).
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw Invalid($"unable to decode {what} certificate: not standard base64");
        }
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"unable to parse {what} certificate: {e.Message}");
        }
    }

    private static TokenRejectedException Invalid(string reason) => new(AuthFailure.InvalidToken, reason);
}
