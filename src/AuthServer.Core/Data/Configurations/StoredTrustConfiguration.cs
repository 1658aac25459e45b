using AuthServer.Core.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class StoredTrustConfiguration : IEntityTypeConfiguration<StoredTrust>
{
    public void Configure(EntityTypeBuilder<StoredTrust> b)
    {
        b.ToTable("federation_trusts");
        b.Property(t => t.Name).HasMaxLength(TrustRules.MaxNameLength);
        b.Property(t => t.NormalizedName).HasMaxLength(TrustRules.MaxNameLength);
        b.HasIndex(t => t.NormalizedName).IsUnique();
        b.Property(t => t.Issuer).HasMaxLength(TrustRules.MaxIssuerLength);
        b.Property(t => t.Robot).HasMaxLength(64);
    }
}
