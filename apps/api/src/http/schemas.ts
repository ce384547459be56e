// Request schemas shared by several routes: the contract's (one definition for API and web).
export {
  idParamsSchema as idParams,
  nameSchema,
  passwordSchema,
} from "@lvs-panel/contract";
