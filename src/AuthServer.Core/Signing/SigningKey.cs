namespace AuthServer.Core.Signing;

/// <summary>
/// A token signing key with its certificate: self-signed, or issued by a signing CA
/// (<see cref="CaId"/>). Keys move next → active → retired so a registry can be given the next
/// key's certificate before it signs anything (in CA mode the registry already trusts it).
/// </summary>
public sealed class SigningKey
{
    public long Id { get; set; }

    /// <summary>libtrust key ID of the public key: what registry 2.8 looks tokens up by.</summary>
    public required string Kid { get; set; }

    public required string Algorithm { get; set; }
    public SigningKeyState State { get; set; }

    /// <summary>PKCS#8 private key, encrypted with the key-encryption key (AES-256-GCM).</summary>
    public required byte[] ProtectedPrivateKey { get; set; }

    /// <summary>DER of the certificate for the public key: self-signed, or issued by the CA.</summary>
    public required byte[] Certificate { get; set; }

    /// <summary>The signing CA that issued <see cref="Certificate"/>; null when it is self-signed.</summary>
    public long? CaId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? RetiredAt { get; set; }
    public DateTime NotAfter { get; set; }
}

public enum SigningKeyState { Next, Active, Retired }
