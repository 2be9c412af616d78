"""HL7 FHIR R4: the questionnaire as a Questionnaire resource, and answers as QuestionnaireResponses."""
