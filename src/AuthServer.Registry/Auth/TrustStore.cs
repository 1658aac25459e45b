using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The keys a registry trusts: the root pool for x5c chains, and the keys a bare <c>kid</c> may
/// name. Which names a key gets is what differs between versions (accesscontroller.go
/// <c>newAccessController</c>): 2.8 names every bundle certificate by its libtrust ID; 3.x by its
/// RFC 7638 thumbprint, and adds every JWKS key under the <c>kid</c> written in the file.
/// </summary>
public sealed class TrustStore : IDisposable
{
    private readonly Dictionary<string, VerificationKey> _byKid;

    private TrustStore(X509Certificate2Collection roots, Dictionary<string, VerificationKey> byKid)
    {
        Roots = roots;
        _byKid = byKid;
    }

    public X509Certificate2Collection Roots { get; }

    public VerificationKey? FindByKid(string kid) => _byKid.GetValueOrDefault(kid);

    /// <exception cref="RegistryConfigurationException">a file is missing or holds no usable key.</exception>
    public static TrustStore Load(VerificationMode mode, string? bundlePath, string? jwksPath)
    {
        var roots = bundlePath is null ? [] : ReadBundle(bundlePath);
        var byKid = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        if (mode == VerificationMode.Distribution28)
        {
            if (jwksPath is not null)
                throw new RegistryConfigurationException("a JWKS file is a distribution 3.x setting; in 2.8 mode give the certificate bundle only");
            if (roots.Count == 0)
                throw new RegistryConfigurationException("token auth requires at least one token signing root certificate (the bundle holds none)");
            foreach (var cert in roots)
            {
                var key = VerificationKey.FromCertificate(cert);
                byKid[Auth.KeyIds.Libtrust(key.Key)] = key;
            }
            return new TrustStore(roots, byKid);
        }

        foreach (var cert in roots)
        {
            var key = VerificationKey.FromCertificate(cert);
            byKid[Auth.KeyIds.Thumbprint(key.Key)] = key;
        }
        if (jwksPath is not null)
        {
            foreach (var (kid, key) in ReadJwks(jwksPath)) byKid[kid] = key;
        }
        if (byKid.Count == 0)
            throw new RegistryConfigurationException("token auth requires at least one token signing key (give a certificate bundle, a JWKS file or both)");
        return new TrustStore(roots, byKid);
    }

    /// <summary>Every CERTIFICATE block of a PEM file; other blocks are skipped, as distribution skips them.</summary>
    private static X509Certificate2Collection ReadBundle(string path)
    {
        var text = ReadFile(path, "certificate bundle");
        var certs = new X509Certificate2Collection();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    certs.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
                }
                catch (CryptographicException e)
                {
                    throw new RegistryConfigurationException($"unable to parse token auth root certificate in {path}: {e.Message}");
                }
            }
            rest = rest[fields.Location.End..];
        }
        return certs;
    }

    private static List<(string Kid, VerificationKey Key)> ReadJwks(string path)
    {
        var text = ReadFile(path, "JWKS file");
        var keys = new List<(string Kid, VerificationKey Key)>();
        try
        {
            using var document = JsonDocument.Parse(text);
            if (!document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
                throw new FormatException("it has no \"keys\" array");
            foreach (var jwk in array.EnumerateArray())
            {
                var kid = jwk.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
                keys.Add((kid, VerificationKey.FromJwk(jwk)));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new RegistryConfigurationException($"failed to parse jwks {path}: {e.Message}");
        }
        return keys;
    }

    private static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryConfigurationException($"unable to read the {what} {path}: {e.Message}");
        }
    }

    public void Dispose()
    {
        foreach (var key in _byKid.Values) key.Dispose();
        foreach (var cert in Roots) cert.Dispose();
    }
}

/// <summary>A setting the registry cannot start with; the message names it.</summary>
public sealed class RegistryConfigurationException(string message) : Exception(message);
