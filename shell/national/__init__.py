"""The national picture: every municipality that publishes through the service, side by
side (`figures`), its downloads (`datasets`), its pages (`views`)."""
