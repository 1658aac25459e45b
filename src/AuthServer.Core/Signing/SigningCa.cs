namespace AuthServer.Core.Signing;

/// <summary>
/// A signing CA (AuthServer:Signing:Mode=Ca): a long-lived key whose certificate is the only thing
/// a registry's rootcertbundle holds. It issues each signing key a short-lived certificate, and a
/// token's x5c chain (leaf, then CA) leads a registry to it, so signing keys rotate without any
/// registry being touched. States as for keys: a next CA is exported beside the active one before
/// it issues anything.
/// </summary>
public sealed class SigningCa
{
    public long Id { get; set; }

    /// <summary>libtrust ID of the CA's public key: a stable name for it in commands and logs.</summary>
    public required string Kid { get; set; }

    public required string Algorithm { get; set; }
    public SigningKeyState State { get; set; }

    /// <summary>PKCS#8 private key, encrypted with the key-encryption key (AES-256-GCM).</summary>
    public required byte[] ProtectedPrivateKey { get; set; }

    /// <summary>DER of the CA certificate (self-signed, or the operator's when imported).</summary>
    public required byte[] Certificate { get; set; }

    /// <summary>True when the key and certificate came from the operator's PEM files.</summary>
    public bool Imported { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? RetiredAt { get; set; }
    public DateTime NotAfter { get; set; }
}
