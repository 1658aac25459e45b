using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.ToTable("signing_keys");
        b.Property(k => k.Kid).HasMaxLength(64);
        b.HasIndex(k => k.Kid).IsUnique();
        b.Property(k => k.Algorithm).HasMaxLength(8);
        b.Property(k => k.State).HasConversion<string>().HasMaxLength(8);
        // At most one key signs at a time; the quoted identifier works on SQLite and PostgreSQL.
        b.HasIndex(k => k.State).IsUnique().HasFilter("\"State\" = 'Active'");
    }
}
