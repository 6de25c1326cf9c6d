// Every library's removed and deprecated APIs.
import type { ApiChange } from './types';
import { langchain } from './langchain';
import { openai } from './openai';
import { sqlalchemy } from './sqlalchemy';
import { pydantic } from './pydantic';
import { flask } from './flask';
import { express } from './express';
import { mongoose } from './mongoose';
import { next } from './next';
import { node } from './node';

export type { ApiChange, ApiShape, MechanicalFix } from './types';

export const API_CHANGES: readonly ApiChange[] = [...langchain, ...openai, ...sqlalchemy, ...pydantic, ...flask, ...express, ...mongoose, ...next, ...node];
