/* embed.S — schema.sql compiled into the binaries (see db_migrate). */
	.section .rodata
	.global schema_sql
	.global schema_sql_end
schema_sql:
	.incbin "schema.sql"
schema_sql_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
