using AuthServer.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class SigningCaConfiguration : IEntityTypeConfiguration<SigningCa>
{
    public void Configure(EntityTypeBuilder<SigningCa> b)
    {
        b.ToTable("signing_cas");
        b.Property(c => c.Kid).HasMaxLength(64);
        b.HasIndex(c => c.Kid).IsUnique();
        b.Property(c => c.Algorithm).HasMaxLength(8);
        b.Property(c => c.State).HasConversion<string>().HasMaxLength(8);
        // One CA issues at a time, as one key signs at a time.
        b.HasIndex(c => c.State).IsUnique().HasFilter("\"State\" = 'Active'");
        // A CA is never deleted while a key it issued exists: that key's chain would break.
        b.HasMany<SigningKey>().WithOne().HasForeignKey(k => k.CaId).OnDelete(DeleteBehavior.Restrict);
    }
}
